using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>An upstream that answers every POST with an empty Anthropic message and remembers the headers it got.</summary>
internal sealed class HeaderRecordingUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string? ApiKey, string? Authorization)> _seen = new();

    /// <summary>Every request's headers, in arrival order (names lower-cased, repeated values joined as they arrived).</summary>
    public ConcurrentQueue<Dictionary<string, string>> Headers { get; } = new();

    /// <summary>Every request's query string as it arrived (empty when none).</summary>
    public ConcurrentQueue<string> Queries { get; } = new();

    private HeaderRecordingUpstream(WebApplication app) => _app = app;

    public Uri Uri { get; private set; } = null!;

    public static async Task<HeaderRecordingUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var upstream = new HeaderRecordingUpstream(app);
        app.MapPost("/{**path}", (HttpContext context) =>
        {
            var headers = context.Request.Headers;
            upstream.Queries.Enqueue(context.Request.QueryString.Value ?? "");
            upstream.Headers.Enqueue(headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal));
            upstream._seen.Enqueue((headers.TryGetValue("x-api-key", out var key) ? key.ToString() : null,
                headers.TryGetValue("Authorization", out var auth) ? auth.ToString() : null));
            return Results.Text("""{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}}""",
                "application/json");
        });
        upstream.Uri = await LoopbackApp.StartAsync(app);
        return upstream;
    }

    /// <summary>Requests the upstream saw and nobody took yet.</summary>
    public int Unread => _seen.Count;

    public async Task<(string? ApiKey, string? Authorization)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(_seen.TryDequeue(out var seen), "the upstream saw no request");
        return seen;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
