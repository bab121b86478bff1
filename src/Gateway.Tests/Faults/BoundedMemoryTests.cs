using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream;
using Glassbox.SimulatedUpstream.Hostile;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Glassbox.Gateway.Tests.Faults;

/// <summary>
/// The side copy holds a fixed amount per call whatever the upstream sends. Measured on a real gateway
/// process (its own RSS, apart from the test's clients and the simulator), driven by every hostile upstream
/// at once; the peak resident set (VmHWM) must stay under a fixed bound while every client gets all its bytes.
/// </summary>
[Collection(HeavyTrafficGroup.Name)]
public sealed class BoundedMemoryTests(ITestOutputHelper output)
{
    /// <summary>
    /// Idle gateway ≈ 100–130 MB; the caps allow about 2 × 4 MB per call (SSE line and event buffers, or the
    /// JSON body buffer) plus the 16 KB decoder buffer. Without the caps the two 100 MB lines alone would
    /// need over 300 MB of buffers (measured with the cap raised to 256 MB: 1.6 GB peak).
    /// </summary>
    private const long PeakRssBound = 300L * 1024 * 1024;

    [Fact]
    public async Task HostileUpstreamsConcurrently_PeakRssStaysUnderTheBoundAndEveryClientGetsItsBytes()
    {
        var simulator = SimulatorApp.Build(["--urls", "http://127.0.0.1:0"], builder => builder.Logging.ClearProviders());
        var simulatorUri = await LoopbackApp.StartAsync(simulator);
        try
        {
            await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
            {
                ["Glassbox__Upstreams__Anthropic__BaseUrl"] = simulatorUri.ToString().TrimEnd('/'),
                ["Glassbox__Upstreams__OpenAI__BaseUrl"] = simulatorUri.ToString().TrimEnd('/'),
            });
            using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
            await SendAsync(client, "v1/messages", stream: true, null, expectedBytes: null); // warm up
            var idle = gateway.RssBytes;

            var calls = new List<Task<(string Case, long Bytes, long? Expected)>>();
            for (var i = 0; i < 3; i++)
            {
                calls.Add(SendAsync(client, "v1/messages", stream: true, "huge-event", expectedBytes: null));
                calls.Add(SendAsync(client, "v1/responses", stream: true, "huge-event", expectedBytes: null));
            }

            for (var i = 0; i < 2; i++)
            {
                calls.Add(SendAsync(client, "v1/messages", stream: true, "no-newline", HostileKinds.DefaultBytes(HostileKind.NoNewline)));
                calls.Add(SendAsync(client, "v1/chat/completions", stream: false, "gzip-bomb", GzipBomb.CompressedBytes(HostileKinds.DefaultBytes(HostileKind.GzipBomb))));
                calls.Add(SendAsync(client, "v1/messages", stream: false, "html-200", null));
                calls.Add(SendAsync(client, "v1/chat/completions", stream: true, "sse-json", null));
                calls.Add(SendAsync(client, "v1/chat/completions", stream: true, null, null));
            }

            var results = await Task.WhenAll(calls);
            var peak = gateway.PeakRssBytes;
            output.WriteLine($"gateway RSS idle {idle / 1048576} MB, peak {peak / 1048576} MB over {results.Length} concurrent calls; bound {PeakRssBound / 1048576} MB");
            foreach (var (kind, bytes, expected) in results)
            {
                output.WriteLine($"  {kind}: {bytes} bytes");
                if (expected is { } exact)
                {
                    Assert.Equal(exact, bytes);
                }

                Assert.True(bytes > 0, $"{kind}: the client got nothing");
            }

            Assert.Contains(results, r => r.Case.Contains("huge-event", StringComparison.Ordinal) && r.Bytes > 10L * 1024 * 1024);
            Assert.True(peak < PeakRssBound, $"peak RSS {peak / 1048576} MB ≥ {PeakRssBound / 1048576} MB (idle {idle / 1048576} MB; caps per call: {ObservationLimits.DefaultMaxDocumentBytes} B documents)");
        }
        finally
        {
            await simulator.StopAsync();
            await simulator.DisposeAsync();
        }
    }

    private static async Task<(string Case, long Bytes, long? Expected)> SendAsync(HttpClient client, string path, bool stream, string? hostile, long? expectedBytes)
    {
        var request = AiRequests.Post(path, AiRequests.UniqueModel("rss"), stream, hostile is null ? [] : [("x-sim-hostile", hostile)]);
        if (hostile == "gzip-bomb")
        {
            request.Headers.AcceptEncoding.ParseAdd("gzip");
        }

        var outcome = await ClientOutcome.SendAsync(client, request);
        Assert.True(outcome.EndedCleanly, $"{path} {hostile}: the body broke");
        return ($"{path} {hostile ?? "normal"}", outcome.Bytes, expectedBytes);
    }
}
