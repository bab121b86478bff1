using System.Diagnostics;
using System.Net;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream;

namespace Glassbox.Gateway.Tests.Telemetry.Sampling;

/// <summary>At 0 % head sampling the gateway still exports the calls worth looking at, and only those.</summary>
[Collection(SamplingTestGroup.Name)]
public sealed class TailSamplingTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
    {
        ["OTEL_TRACES_SAMPLER"] = "traceidratio",
        ["OTEL_TRACES_SAMPLER_ARG"] = "0",
        ["Glassbox:Sampling:KeepSlowerThan"] = "00:00:00.5",
        ["Glassbox:Upstreams:Anthropic:Retry:BaseDelay"] = "00:00:00.01",
        ["Glassbox:Upstreams:Anthropic:CircuitBreaker:Enabled"] = "false",
    });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Send_ErroringCallAtZeroPercent_ExportsTheWholeTrace()
    {
        var model = AiRequests.UniqueModel("tail-error");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false,
            ("x-sim-fault", "status"), ("x-sim-status", "400")));
        await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // The head sampler did drop it: the trace went out unsampled.
        Assert.EndsWith("-00", Assert.Single(response.Headers.GetValues("traceresponse")), StringComparison.Ordinal);

        var call = await _harness.CallSpanOfAsync(response);
        Assert.Equal("invalid_request", call.GetTagItem("ai.error.type"));
        Assert.Equal(ActivityStatusCode.Error, call.Status);
        Assert.Equal($"chat {model}", call.DisplayName);
        var trace = await WaitForSpansAsync(call.TraceId, spans => spans.Any(s => s.Kind == ActivityKind.Server && s.SpanId == call.ParentSpanId));
        var attempt = Assert.Single(trace, s => s.DisplayName == "upstream attempt" && s.ParentSpanId == call.SpanId);
        Assert.Equal(400, attempt.GetTagItem("http.response.status_code"));
        // The attempt span stands for the HttpClient exchange (no separate HttpClient span is recorded).
        Assert.Equal("POST", attempt.GetTagItem("http.request.method"));
        Assert.EndsWith("/v1/messages", Assert.IsType<string>(attempt.GetTagItem("url.full")), StringComparison.Ordinal);
        Assert.Equal("400", attempt.GetTagItem("error.type"));
        Assert.DoesNotContain(trace, s => s.Source.Name == "System.Net.Http");
        Assert.All(trace, s => Assert.True(s.Recorded));
    }

    [Fact]
    public async Task Send_SlowStreamingCall_IsExported()
    {
        var model = AiRequests.UniqueModel("tail-slow");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true, ("x-sim-ttft-ms", "800")),
            HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("message_stop", body, StringComparison.Ordinal);

        var call = await _harness.CallSpanOfAsync(response);
        Assert.Null(call.GetTagItem("ai.error.type"));
        Assert.True(call.Duration > TimeSpan.FromMilliseconds(500), $"call lasted {call.Duration}");
        await WaitForSpansAsync(call.TraceId, spans => spans.Any(s => s.Kind == ActivityKind.Server && s.SpanId == call.ParentSpanId));
    }

    [Fact]
    public async Task Send_429ThenSuccess_RetriedCallIsExported()
    {
        var model = AiRequests.UniqueModel("tail-retry");
        var scenario = Guid.NewGuid().ToString("N");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false,
            ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-after-ms", "10"), ("x-sim-fail-times", "1"), ("x-sim-scenario", scenario)));
        await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _harness.SimulatorServices.GetRequiredService<SimulatorStats>().ScenarioAttempts(scenario));

        var call = await _harness.CallSpanOfAsync(response);
        Assert.Equal(1, call.GetTagItem("ai.retry_count"));
        Assert.Null(call.GetTagItem("ai.error.type"));
        var trace = await WaitForSpansAsync(call.TraceId, spans => spans.Any(s => s.Kind == ActivityKind.Server && s.SpanId == call.ParentSpanId));
        Assert.Equal(["read request", "upstream attempt", "retry backoff", "upstream attempt"],
            trace.Where(s => s.ParentSpanId == call.SpanId).OrderBy(s => s.StartTimeUtc).Select(s => s.DisplayName));
    }

    [Fact]
    public async Task Send_OrdinaryFastCall_IsNotExported()
    {
        // One connection: the gateway reads the second request only after the first one's pipeline, server span
        // included, has ended, and the sampler decides a trace when its root span ends. So once the second trace
        // is exported the first was decided already, and had it been kept its spans would be here.
        using var client = _harness.CreateClient(maxConnections: 1);
        using var ordinary = await client.SendAsync(AiRequests.Post("v1/messages", AiRequests.UniqueModel("tail-plain"), stream: true));
        Assert.Contains("message_stop", await ordinary.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var ordinaryTrace = TraceIdOf(ordinary);

        using var failing = await client.SendAsync(AiRequests.Post("v1/messages", AiRequests.UniqueModel("tail-marker"), stream: false,
            ("x-sim-fault", "status"), ("x-sim-status", "400")));
        await failing.Content.ReadAsStringAsync();
        var marker = await _harness.CallSpanOfAsync(failing);
        await WaitForSpansAsync(marker.TraceId, spans => spans.Any(s => s.Kind == ActivityKind.Server && s.SpanId == marker.ParentSpanId));

        Assert.Empty(_harness.SpansOfTrace(ordinaryTrace));
        Assert.DoesNotContain(_harness.Spans.Ended, s => s.TraceId == ordinaryTrace);
    }

    private static ActivityTraceId TraceIdOf(HttpResponseMessage response) =>
        ActivityTraceId.CreateFromString(response.Headers.GetValues("traceresponse").Single().AsSpan(3, 32));

    private async Task<IReadOnlyList<Activity>> WaitForSpansAsync(ActivityTraceId traceId, Func<IReadOnlyList<Activity>, bool> complete)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var spans = _harness.SpansOfTrace(traceId);
            if (complete(spans))
            {
                return spans;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"Trace {traceId} incomplete: {string.Join(", ", spans.Select(s => $"{s.Source.Name}/{s.DisplayName}"))}");
            }

            await Task.Delay(20);
        }
    }
}
