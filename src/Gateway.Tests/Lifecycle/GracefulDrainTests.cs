using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.Gateway.Tests.SimulatedUpstream;
using Xunit.Abstractions;

namespace Glassbox.Gateway.Tests.Lifecycle;

/// <summary>
/// SIGTERM to a real gateway process with calls in flight: a short stream finishes untouched, a long one is ended
/// cleanly at the drain timeout, a call still waiting for its upstream gets the dialect's 503, /readyz says 503,
/// every span reaches the OTLP backend (the Aspire dashboard) although export would only have happened a minute
/// later, and the process exits 0 — a second SIGTERM during the drain changes none of that.
/// </summary>
public sealed class GracefulDrainTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Sigterm_WithStreamsInFlight_ShortCompletesLongEndsAtDrainTimeout_SpansFlushed_ExitZero()
    {
        await using var simulator = await SimulatorHost.StartAsync();
        await using var dashboard = await AspireDashboard.StartAsync();
        var service = "glassbox-drain-" + Guid.NewGuid().ToString("N")[..8];
        await using var gateway = await GatewayProcess.StartAsync(Environment(simulator, service, dashboard.OtlpGrpcEndpoint));
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        // Short: about 1.3 s. Long: about 20 s, far beyond delay + drain timeout (5 s). Waiting: headers only after 30 s.
        (string, string)[] shortStream = [("x-sim-id", "drain01"), ("x-sim-created", "1721631035"), ("x-sim-ttft-ms", "100"), ("x-sim-delta-gap-ms", "100"), ("x-sim-deltas", "12")];
        (string, string)[] longStream = [("x-sim-ttft-ms", "100"), ("x-sim-delta-gap-ms", "100"), ("x-sim-deltas", "200")];
        (string, string)[] waiting = [("x-sim-headers-delay-ms", "30000")];
        var expectedShort = await DirectBytesAsync(simulator, shortStream);

        var shortCall = client.SendAsync(AiRequests.Post("v1/messages", "drain-short", stream: true, shortStream), HttpCompletionOption.ResponseHeadersRead);
        var longCall = client.SendAsync(AiRequests.Post("v1/messages", "drain-long", stream: true, longStream), HttpCompletionOption.ResponseHeadersRead);
        var waitingCall = client.SendAsync(AiRequests.Post("v1/chat/completions", "drain-waiting", stream: false, waiting));
        using var shortResponse = await shortCall;
        using var longResponse = await longCall;
        var clock = Stopwatch.StartNew();
        var shortBody = ReadAllAsync(shortResponse, clock);
        var longBody = ReadAllAsync(longResponse, clock);
        await Task.Delay(300); // the waiting call has reached the upstream

        var sigterm = clock.Elapsed;
        gateway.Terminate();
        var readyz = await ReadyzAsync(gateway.BaseAddress);
        await Task.Delay(DrainDelay + TimeSpan.FromMilliseconds(500));
        var lateClient = await LateClientAsync(gateway.BaseAddress);
        gateway.Terminate(); // a second SIGTERM during the drain

        var (shortBytes, _) = await shortBody;
        var (longBytes, longEnded) = await longBody;
        using var waitingResponse = await waitingCall;
        var waitingEnded = clock.Elapsed;
        await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var exited = clock.Elapsed;
        output.WriteLine($"SIGTERM → long stream ended: {(longEnded - sigterm).TotalSeconds:0.000} s; → waiting call answered: {(waitingEnded - sigterm).TotalSeconds:0.000} s; → process exited: {(exited - sigterm).TotalSeconds:0.000} s (delay {DrainDelay.TotalSeconds} s + drain timeout {DrainTimeout.TotalSeconds} s)");

        Assert.True(gateway.ExitCode == 0, $"exit code {gateway.ExitCode}\n{gateway.Output}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz);
        Assert.True(lateClient is "refused" or "503", $"a client arriving after the listener closed got: {lateClient}");

        Assert.Equal(expectedShort, shortBytes);

        var longText = System.Text.Encoding.UTF8.GetString(longBytes);
        var lastEvent = longText.TrimEnd().Split("\n\n")[^1];
        Assert.StartsWith("event: error\ndata: ", lastEvent, StringComparison.Ordinal);
        Assert.Contains("shutting down", lastEvent, StringComparison.Ordinal);
        var cutAfter = longEnded - sigterm;
        Assert.InRange(cutAfter, DrainDelay + DrainTimeout - TimeSpan.FromMilliseconds(300), DrainDelay + DrainTimeout + TimeSpan.FromSeconds(3));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, waitingResponse.StatusCode);
        using (var error = JsonDocument.Parse(await waitingResponse.Content.ReadAsStringAsync()))
        {
            Assert.Equal("gateway_shutting_down", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        // Export was scheduled a minute out: these arrived only because the shutdown flushed them.
        var shortSpan = await dashboard.WaitForSpanAsync(s => Model(s) == "drain-short", service);
        var longSpan = await dashboard.WaitForSpanAsync(s => Model(s) == "drain-long", service);
        var waitingSpan = await dashboard.WaitForSpanAsync(s => Model(s) == "drain-waiting", service);
        Assert.Equal("completed", AspireDashboard.Attribute(shortSpan, "glassbox.end_reason"));
        Assert.Equal("shutdown", AspireDashboard.Attribute(longSpan, "glassbox.end_reason"));
        Assert.Equal("shutdown", AspireDashboard.Attribute(waitingSpan, "glassbox.end_reason"));
        Assert.Equal("false", AspireDashboard.Attribute(longSpan, "glassbox.stream.completed"));
        await dashboard.WaitForLogRecordAsync(r => r.GetRawText().Contains("drain-long", StringComparison.Ordinal), service);
    }

    [Fact]
    public async Task Call_WithExportOff_LogLineNamesNoTrace()
    {
        await using var simulator = await SimulatorHost.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>
        {
            ["Glassbox__Upstreams__Anthropic__BaseUrl"] = simulator.BaseAddress.ToString().TrimEnd('/'),
            ["Glassbox__Upstreams__OpenAI__BaseUrl"] = simulator.BaseAddress.ToString().TrimEnd('/'),
        });
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var response = await client.SendAsync(AiRequests.Post("v1/messages", "export-off-call", stream: true));
        await response.Content.ReadAsByteArrayAsync();

        // The header still names the server span's trace, flagged not recorded (-00): nothing was exported.
        Assert.EndsWith("-00", response.Headers.GetValues("traceresponse").Single(), StringComparison.Ordinal);
        var line = await WaitForLineAsync(gateway, "AI call");
        Assert.Contains("export-off-call", line, StringComparison.Ordinal);
        Assert.DoesNotContain("trace", line, StringComparison.OrdinalIgnoreCase);
    }

    private static Dictionary<string, string> Environment(SimulatorHost simulator, string service, Uri otlp) => new()
    {
        ["Glassbox__Upstreams__Anthropic__BaseUrl"] = simulator.BaseAddress.ToString().TrimEnd('/'),
        ["Glassbox__Upstreams__OpenAI__BaseUrl"] = simulator.BaseAddress.ToString().TrimEnd('/'),
        ["Glassbox__Upstreams__OpenAI__Retry__MaxRetries"] = "0",
        ["Glassbox__Shutdown__DrainDelay"] = DrainDelay.ToString(),
        ["Glassbox__Shutdown__DrainTimeout"] = DrainTimeout.ToString(),
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.ToString(),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        ["OTEL_SERVICE_NAME"] = service,
        // Nothing leaves on its own schedule during the test: only the shutdown flush can deliver it.
        ["OTEL_BSP_SCHEDULE_DELAY"] = "60000",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "60000",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "60000",
    };

    private static string? Model(JsonElement span) => AspireDashboard.Attribute(span, "gen_ai.request.model");

    private static async Task<byte[]> DirectBytesAsync(SimulatorHost simulator, (string, string)[] headers)
    {
        using var client = simulator.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", "drain-short", stream: true, headers));
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Every byte of the body, and when (on <paramref name="clock"/>) it ended.</summary>
    private static async Task<(byte[] Bytes, TimeSpan EndedAt)> ReadAllAsync(HttpResponseMessage response, Stopwatch clock)
    {
        var bytes = new MemoryStream();
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.CopyToAsync(bytes);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            bytes.Write(System.Text.Encoding.UTF8.GetBytes($"\n\n[aborted: {ex.Message}]"));
        }

        return (bytes.ToArray(), clock.Elapsed);
    }

    /// <summary>What /readyz answers once the signal has been handled (polled within the drain delay, while the listener is open).</summary>
    private static async Task<HttpStatusCode?> ReadyzAsync(Uri gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
            status = response.StatusCode;
        }
        while (status == HttpStatusCode.OK && deadline.Elapsed < DrainDelay / 2 && await Delay(TimeSpan.FromMilliseconds(20)));

        return status;
    }

    private static async Task<bool> Delay(TimeSpan delay)
    {
        await Task.Delay(delay);
        return true;
    }

    /// <summary>A new client once the listener closed: refused, an HTTP status, or (a defect) a hang.</summary>
    private static async Task<string> LateClientAsync(Uri gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return "refused";
        }
        catch (TaskCanceledException)
        {
            return "hang (no answer within 5 s)";
        }
    }

    private static async Task<string> WaitForLineAsync(GatewayProcess gateway, string marker)
    {
        for (var i = 0; i < 200; i++)
        {
            if (gateway.Lines.FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"No line with '{marker}':\n{gateway.Output}");
    }
}
