using System.Globalization;
using System.Net;
using System.Text.Json;
using Glassbox.Gateway.Tests.Infrastructure;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace Glassbox.Gateway.Tests.Telemetry;

/// <summary>
/// End to end over real OTLP: a gateway exporting to the Aspire dashboard (gRPC), one streaming call through it,
/// then the call read back from the dashboard's query API by the trace id of the <c>traceresponse</c> header.
/// </summary>
public sealed class OtlpExportTests
{
    private const int OtlpKindServer = 2;
    private const int OtlpKindClient = 3;

    [Fact]
    public async Task StreamingCall_ReachesTheDashboard_WithCallSpanUnderTheServerSpan_AndItsLogLine()
    {
        await using var dashboard = await AspireDashboard.StartAsync();
        var service = $"glassbox-otlp-{Guid.NewGuid():N}";
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.OtlpGrpcEndpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["OTEL_SERVICE_NAME"] = service,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        });
        var model = AiRequests.UniqueModel("claude-otlp");

        using var client = harness.CreateClient();
        using var request = AiRequests.Post("v1/messages", model, stream: true,
            ("x-sim-deltas", "4"), ("x-sim-ttft-ms", "40"), ("x-sim-input-tokens", "17"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("message_stop", body, StringComparison.Ordinal);

        // traceresponse: 00-{trace id}-{span id of the gateway's server span}-{flags}
        var traceResponse = Assert.Single(response.Headers.GetValues("traceresponse"));
        var parts = traceResponse.Split('-');
        Assert.Equal(4, parts.Length);
        var (traceId, serverSpanId) = (parts[1], parts[2]);
        Assert.Matches("^[0-9a-f]{32}$", traceId);

        // The span has ended once the in-memory collector has it; flushing then saves the batch delay.
        // (A published executable in its own process exports on its 200 ms schedule: the waits below poll for it.)
        if (harness.InProcess)
        {
            await harness.WaitForCallSpanAsync(model);
            harness.GatewayServices.GetRequiredService<TracerProvider>().ForceFlush(10_000);
            harness.GatewayServices.GetService<LoggerProvider>()?.ForceFlush(10_000);
        }

        var callSpan = await dashboard.WaitForTraceSpanAsync(traceId, s => s.GetProperty("name").GetString() == $"chat {model}");
        // The server span ends a moment after the call span, so it may leave in a later batch: wait for it too.
        await WaitForServerSpanAsync(harness, dashboard, traceId, serverSpanId);
        using var trace = await dashboard.GetTraceAsync(traceId);
        var spans = SpansWithService(trace).ToList();
        var fail = $"Trace {traceId}: {trace.RootElement.GetRawText()}";

        // The call span: a CLIENT span of this gateway's resource with both attribute sets.
        var call = Assert.Single(spans, s => s.Span.GetProperty("name").GetString() == $"chat {model}");
        Assert.Equal(service, call.Service);
        Assert.Equal(OtlpKindClient, callSpan.GetProperty("kind").GetInt32());
        Assert.Equal("chat", AspireDashboard.Attribute(callSpan, "gen_ai.operation.name"));
        Assert.Equal("anthropic", AspireDashboard.Attribute(callSpan, "gen_ai.provider.name"));
        Assert.Equal(model, AspireDashboard.Attribute(callSpan, "gen_ai.request.model"));
        Assert.Equal(model, AspireDashboard.Attribute(callSpan, "gen_ai.response.model"));
        Assert.Equal("17", AspireDashboard.Attribute(callSpan, "gen_ai.usage.input_tokens"));
        Assert.Equal("4", AspireDashboard.Attribute(callSpan, "gen_ai.usage.output_tokens"));
        Assert.True(Number(callSpan, "gen_ai.response.time_to_first_chunk") >= 0.040, fail);
        Assert.Equal("anthropic", AspireDashboard.Attribute(callSpan, "ai.provider"));
        Assert.Equal(model, AspireDashboard.Attribute(callSpan, "ai.model"));
        Assert.Equal("true", AspireDashboard.Attribute(callSpan, "ai.streaming"));
        Assert.Equal("17", AspireDashboard.Attribute(callSpan, "ai.tokens.input"));
        Assert.Equal("4", AspireDashboard.Attribute(callSpan, "ai.tokens.output"));
        Assert.Equal("end_turn", AspireDashboard.Attribute(callSpan, "ai.stop_reason"));
        Assert.True(Number(callSpan, "ai.ttft_ms") >= 40, fail);
        Assert.DoesNotContain(AiRequests.ApiKey, trace.RootElement.GetRawText(), StringComparison.Ordinal);

        // It is a direct child of the gateway's ASP.NET Core server span (the one traceresponse names).
        var server = Assert.Single(spans, s => s.Span.GetProperty("spanId").GetString() == serverSpanId);
        Assert.Equal(OtlpKindServer, server.Span.GetProperty("kind").GetInt32());
        Assert.Equal("POST /v1/messages", server.Span.GetProperty("name").GetString());
        Assert.Equal(service, server.Service);
        Assert.True(ParentId(callSpan) == serverSpanId, $"The call span's parent is not the server span {serverSpanId}. {fail}");

        // The call's log line, correlated with the trace.
        var log = await dashboard.WaitForLogRecordAsync(
            r => r.TryGetProperty("traceId", out var id) && id.GetString() == traceId && AspireDashboard.Attribute(r, "Model") == model,
            resource: service);
        Assert.Contains("AI call", log.GetProperty("body").GetRawText(), StringComparison.Ordinal);
        Assert.Equal("anthropic", AspireDashboard.Attribute(log, "Provider"));
        Assert.Equal("200", AspireDashboard.Attribute(log, "Status"));
        Assert.Equal("17", AspireDashboard.Attribute(log, "InputTokens"));
        Assert.Equal("4", AspireDashboard.Attribute(log, "OutputTokens"));
    }

    private static async Task WaitForServerSpanAsync(GatewayHarness harness, AspireDashboard dashboard, string traceId, string serverSpanId)
    {
        if (harness.InProcess)
        {
            var deadline = System.Diagnostics.Stopwatch.StartNew();
            while (!harness.Spans.Ended.Any(s => s.SpanId.ToHexString() == serverSpanId) && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }

            harness.GatewayServices.GetRequiredService<TracerProvider>().ForceFlush(10_000);
        }

        await dashboard.WaitForTraceSpanAsync(traceId, s => s.GetProperty("spanId").GetString() == serverSpanId);
    }

    private static IEnumerable<(string? Service, JsonElement Span)> SpansWithService(JsonDocument trace)
    {
        foreach (var resource in trace.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = AspireDashboard.Attribute(resource.GetProperty("resource"), "service.name");
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    yield return (service, span);
                }
            }
        }
    }

    private static string? ParentId(JsonElement span) =>
        span.TryGetProperty("parentSpanId", out var parent) && parent.GetString() is { Length: > 0 } id ? id : null;

    private static double Number(JsonElement span, string key)
    {
        var text = AspireDashboard.Attribute(span, key);
        Assert.NotNull(text);
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
