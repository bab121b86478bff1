using System.Diagnostics;
using System.Net;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream;

namespace Glassbox.Gateway.Tests.Resilience;

/// <summary>Retries happen before any byte reached the client, honour the upstream's wishes, and show in the trace.</summary>
public sealed class RetryTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    private SimulatorStats Stats => _harness.SimulatorServices.GetRequiredService<SimulatorStats>();

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
    {
        ["Glassbox:Upstreams:Anthropic:Retry:BaseDelay"] = "00:00:00.05",
        ["Glassbox:Upstreams:OpenAI:Retry:BaseDelay"] = "00:00:00.05",
        ["Glassbox:Upstreams:Anthropic:CircuitBreaker:Enabled"] = "false",
        ["Glassbox:Upstreams:OpenAI:CircuitBreaker:Enabled"] = "false",
    });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Send_429ThenSuccess_ClientGets200AfterWaitingRetryAfter()
    {
        var model = AiRequests.UniqueModel("retry429");
        var scenario = Guid.NewGuid().ToString("N");
        using var client = _harness.CreateClient();
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true,
            ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-after", "1"), ("x-sim-fail-times", "1"), ("x-sim-scenario", scenario)));
        var body = await response.Content.ReadAsStringAsync();
        var elapsed = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("message_stop", body, StringComparison.Ordinal);
        Assert.DoesNotContain("rate_limit_error", body, StringComparison.Ordinal);
        Assert.Equal(2, Stats.ScenarioAttempts(scenario));
        Assert.True(elapsed >= TimeSpan.FromSeconds(0.95), $"retry-after: 1 was not honoured ({elapsed})");

        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var call = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal(1, call.GetTagItem("ai.retry_count"));
        Assert.Null(call.GetTagItem("ai.error.type"));
        var children = _harness.SpansOfTrace(call.TraceId).Where(s => s.ParentSpanId == call.SpanId).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(["read request", "upstream attempt", "retry backoff", "upstream attempt"], children.Select(s => s.DisplayName));
        children.RemoveAt(0);
        Assert.Equal(429, children[0].GetTagItem("http.response.status_code"));
        Assert.Equal("rate_limit", children[0].GetTagItem("ai.error.type"));
        Assert.Equal(1000.0, children[0].GetTagItem("glassbox.retry.delay_ms"));
        Assert.Equal(200, children[2].GetTagItem("http.response.status_code"));
        Assert.InRange(children[1].Duration, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3));
        Assert.True(children[2].StartTimeUtc >= children[1].StartTimeUtc + children[1].Duration - TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public async Task Send_529ThreeTimesWithTwoRetries_ClientGetsTheLast529Unchanged()
    {
        var model = AiRequests.UniqueModel("retry529");
        var scenario = Guid.NewGuid().ToString("N");
        (string, string)[] control = [("x-sim-fault", "status"), ("x-sim-status", "529"), ("x-sim-retry-after-ms", "30"), ("x-sim-retry-after", "2"),
            ("x-sim-fail-times", "3"), ("x-sim-scenario", scenario), ("x-sim-id", "same")];
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false, control));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal((HttpStatusCode)529, response.StatusCode);
        Assert.Equal("2", response.Headers.GetValues("retry-after").Single());
        Assert.Equal("30", response.Headers.GetValues("retry-after-ms").Single());
        Assert.Contains("\"overloaded_error\"", body, StringComparison.Ordinal);
        Assert.Equal(3, Stats.ScenarioAttempts(scenario));

        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var call = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal(2, call.GetTagItem("ai.retry_count"));
        Assert.Equal("overloaded", call.GetTagItem("ai.error.type"));
        Assert.Equal("overloaded_error", call.GetTagItem("error.type"));
        Assert.Equal(529, call.GetTagItem("ai.error.status"));
        Assert.Equal("30ms", call.GetTagItem("ai.error.retry_after"));
        Assert.Equal(ActivityStatusCode.Error, call.Status);
        Assert.False(string.IsNullOrEmpty(call.StatusDescription));
        Assert.Equal(3, _harness.SpansOfTrace(call.TraceId).Count(s => s.DisplayName == "upstream attempt" && s.ParentSpanId == call.SpanId));
    }

    [Fact]
    public async Task Send_ShouldRetryFalse_NotRetried()
    {
        var model = AiRequests.UniqueModel("noretry");
        var scenario = Guid.NewGuid().ToString("N");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/chat/completions", model, stream: false,
            ("x-sim-fault", "status"), ("x-sim-status", "503"), ("x-sim-should-retry", "false"), ("x-sim-fail-times", "5"), ("x-sim-scenario", scenario)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, Stats.ScenarioAttempts(scenario));
        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        Assert.Equal(0, (await _harness.WaitForCallSpanAsync(model)).GetTagItem("ai.retry_count"));
    }

    [Fact]
    public async Task Stream_ResetAfterFirstBytes_NeverRetriedAndTheClientSeesTheBreak()
    {
        var model = AiRequests.UniqueModel("noretryafterbytes");
        var scenario = Guid.NewGuid().ToString("N");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true,
            ("x-sim-fault", "reset"), ("x-sim-fault-after", "2"), ("x-sim-fail-times", "5"), ("x-sim-scenario", scenario)),
            HttpCompletionOption.ResponseHeadersRead);

        // The reset comes between two events: the stream ends with the dialect's error event, not a retried answer.
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("word1", body, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", body, StringComparison.Ordinal);
        Assert.Contains("event: error", body, StringComparison.Ordinal);
        Assert.DoesNotContain("message_stop", body, StringComparison.Ordinal);
        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var call = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal(1, Stats.ScenarioAttempts(scenario));
        Assert.Equal(0, call.GetTagItem("ai.retry_count"));
        Assert.Equal("upstream_interrupted", call.GetTagItem("glassbox.end_reason"));
    }

    [Fact]
    public async Task Send_Retried_RetryCounterMetricCountsIt()
    {
        var model = AiRequests.UniqueModel("retrymetric");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/responses", model, stream: false,
            ("x-sim-fault", "status"), ("x-sim-status", "500"), ("x-sim-fail-times", "2"), ("x-sim-scenario", Guid.NewGuid().ToString("N"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        await _harness.WaitForCallSpanAsync(model);
        var retries = Assert.Single(_harness.MetricPoints("glassbox.retries", model));
        Assert.Equal(2, retries.GetSumLong());
    }
}
