using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Glassbox.Bench.StreamBench;

/// <summary>The HTTP client and the Anthropic request bodies every command uses.</summary>
internal static class Requests
{
    public static readonly byte[] NonStreamingBody = Encoding.UTF8.GetBytes(
        """{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hello from StreamBench"}]}""");

    public static readonly byte[] StreamingBody = Encoding.UTF8.GetBytes(
        """{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hello from StreamBench"}]}""");

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>HTTP/1.1 keep-alive, no proxy, no decompression, unlimited connections per server.</summary>
    public static HttpClient CreateClient(TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = int.MaxValue,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        return new HttpClient(handler) { Timeout = timeout, DefaultRequestVersion = HttpVersion.Version11 };
    }

    public static HttpRequestMessage Create(Uri uri, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = Json;
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-bench");
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        return request;
    }

    public static Uri Target(Options options) =>
        new(new Uri(options.Required("url")), options.Text("path", "/v1/messages"));
}
