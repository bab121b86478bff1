using System.Net;
using System.Text.Json;

namespace Glassbox.Gateway.Tests.SimulatedUpstream;

public sealed class AuthAndStatsTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await SimulatorHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task NoAuth_Anthropic_401AuthenticationError()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/messages", """{"model":"m","stream":true}""", auth: false);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("error", root.GetProperty("type").GetString());
        Assert.Equal("authentication_error", root.GetProperty("error").GetProperty("type").GetString());
        Assert.False(_host.Stats.LastAuthPresent);
    }

    [Fact]
    public async Task NoAuth_OpenAI_401ErrorObject()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/responses", """{"model":"m"}""", auth: false);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task BearerAuth_Anthropic_Accepted()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/messages", """{"model":"m"}""", auth: false, ("Authorization", "Bearer sk-x"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(_host.Stats.LastAuthPresent);
    }

    [Fact]
    public async Task StatsEndpoint_AfterCalls_CountsThenResets()
    {
        using var client = _host.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            using var request = SimulatorHost.Post("v1/chat/completions", """{"model":"m"}""");
            using var response = await client.SendAsync(request);
        }

        var before = JsonDocument.Parse(await client.GetStringAsync(new Uri("_sim/stats", UriKind.Relative))).RootElement;
        using var reset = await client.PostAsync(new Uri("_sim/reset", UriKind.Relative), null);
        var after = JsonDocument.Parse(await client.GetStringAsync(new Uri("_sim/stats", UriKind.Relative))).RootElement;

        Assert.Equal(2, before.GetProperty("requests").GetInt32());
        Assert.Equal(2, before.GetProperty("completed").GetInt32());
        Assert.Equal(0, before.GetProperty("active").GetInt32());
        Assert.Equal(0, before.GetProperty("aborted").GetInt32());
        Assert.Equal(0, after.GetProperty("requests").GetInt32());
        Assert.Equal(0, _host.Stats.Completed);
    }

    [Fact]
    public async Task BadControlHeader_Returns400InDialect()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/chat/completions", """{"model":"m"}""", true, ("x-sim-deltas", "many"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("x-sim-deltas", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
