using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Ingress;

/// <summary>
/// A real nginx with the server block of deploy/ingress/nginx.conf in front of the gateway: streams pass through
/// unbuffered and unchanged, and the gateway names the client nginx reported.
/// </summary>
public sealed class NginxIngressTests
{
    // nginx listens on one loopback address and the client connects from another, so the address nginx reports
    // (127.0.0.3) differs from the TCP peer the gateway sees (nginx, 127.0.0.1), the only known proxy.
    private static readonly IPAddress NginxAddress = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress ClientAddress = IPAddress.Parse("127.0.0.3");
    private static readonly TimeSpan AllowedExtraDelay = TimeSpan.FromMilliseconds(50);

    private static readonly (string, string)[] PacedStream =
    [
        ("x-sim-id", "nginx01"), ("x-sim-created", "1721631035"), ("x-sim-headers-delay-ms", "50"), ("x-sim-ttft-ms", "300"),
        ("x-sim-delta-gap-ms", "150"), ("x-sim-deltas", "8"),
    ];

    [NginxFact]
    public async Task Stream_ThroughNginx_FirstDeltaAsEarlyAsDirect_BytesIdentical_SpanNamesTheClientNginxReported()
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Glassbox:ForwardedHeaders:KnownNetworks:0"] = "127.0.0.1/32" });
        await using var nginx = await NginxProcess.StartAsync(NginxAddress, harness.GatewayUri);
        using var viaGateway = Client(harness.GatewayUri);
        using var viaNginx = Client(nginx.BaseAddress);

        var direct = new List<TimeSpan>();
        var proxied = new List<TimeSpan>();
        byte[]? directBytes = null;
        (byte[] Bytes, HttpResponseMessage Response)? last = null;
        for (var round = 0; round < 3; round++)
        {
            var (firstDirect, bytes, directResponse) = await StreamAsync(viaGateway);
            directResponse.Dispose();
            direct.Add(firstDirect);
            directBytes ??= bytes;
            Assert.Equal(directBytes, bytes);

            var (firstProxied, proxiedBytes, response) = await StreamAsync(viaNginx);
            proxied.Add(firstProxied);
            last?.Response.Dispose();
            last = (proxiedBytes, response);
        }

        Assert.Equal(directBytes, last!.Value.Bytes);
        // Best of three each: scheduling noise on a busy machine only ever adds delay, buffering adds it to every run.
        var (directBest, proxiedBest) = (direct.Min(), proxied.Min());
        Assert.True(proxiedBest <= directBest + AllowedExtraDelay,
            $"first content delta via nginx at {proxiedBest.TotalMilliseconds:0} ms, via the gateway alone at {directBest.TotalMilliseconds:0} ms (runs: {string.Join(", ", proxied.Select(t => t.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} vs {string.Join(", ", direct.Select(t => t.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))})");

        var span = await harness.CallSpanOfAsync(last.Value.Response);
        Assert.Equal(ClientAddress.ToString(), span.GetTagItem("client.address"));
        last.Value.Response.Dispose();
    }

    /// <summary>Sends the paced stream; returns when its first content delta arrived, and every byte.</summary>
    private static async Task<(TimeSpan FirstDelta, byte[] Bytes, HttpResponseMessage Response)> StreamAsync(HttpClient client)
    {
        var clock = Stopwatch.StartNew();
        var response = await client.SendAsync(AiRequests.Post("v1/messages", "nginx-paced", stream: true, PacedStream), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var all = new MemoryStream();
        var buffer = new byte[16 * 1024];
        TimeSpan? first = null;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            all.Write(buffer, 0, read);
            if (first is null && Encoding.UTF8.GetString(all.GetBuffer(), 0, (int)all.Length).Contains("content_block_delta", StringComparison.Ordinal))
            {
                first = clock.Elapsed;
            }
        }

        Assert.NotNull(first);
        return (first.Value, all.ToArray(), response);
    }

    /// <summary>A client whose connections come from <see cref="ClientAddress"/>.</summary>
    private static HttpClient Client(Uri baseAddress) => new(new SocketsHttpHandler
    {
        ActivityHeadersPropagator = null,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(ClientAddress, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };
}

/// <summary>A fact that is skipped, with the reason, where nginx is not installed.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class NginxFactAttribute : FactAttribute
{
    public NginxFactAttribute() => Skip = NginxProcess.SkipReason;
}
