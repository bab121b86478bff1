using System.Net.Http.Headers;
using System.Text;
using Glassbox.SimulatedUpstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Glassbox.Gateway.Tests.SimulatedUpstream;

/// <summary>A real simulator on 127.0.0.1:0, and helpers to call it with a real HttpClient.</summary>
internal sealed class SimulatorHost : IAsyncDisposable
{
    private SimulatorHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public SimulatorStats Stats => App.Services.GetRequiredService<SimulatorStats>();

    public static async Task<SimulatorHost> StartAsync(Action<WebApplicationBuilder>? configure = null, string scheme = "http")
    {
        var app = SimulatorApp.Build(["--urls", $"{scheme}://127.0.0.1:0"], configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new SimulatorHost(app, new Uri(address + "/"));
    }

    public HttpClient CreateClient(HttpMessageHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler(), disposeHandler: true) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>A POST with a JSON body, an API key (unless <paramref name="auth"/> is false) and control headers.</summary>
    public static HttpRequestMessage Post(string path, string json, bool auth = true, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (auth && path.StartsWith("v1/messages", StringComparison.Ordinal))
            request.Headers.Add("x-api-key", "sk-test");
        else if (auth && path.Contains("models/", StringComparison.Ordinal))
            request.Headers.Add("x-goog-api-key", "gk-test");
        else if (auth)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-test");
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    public async Task<T> WaitForAsync<T>(Func<SimulatorStats, T> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        var value = read(Stats);
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            value = read(Stats);
        }

        return value;
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await App.StopAsync(stopping.Token);
        await App.DisposeAsync();
    }
}
