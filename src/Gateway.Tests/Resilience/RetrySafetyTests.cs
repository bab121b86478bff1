using System.Diagnostics;
using System.Net;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream;

namespace Glassbox.Gateway.Tests.Resilience;

/// <summary>
/// A request the upstream has received may already be generating (and billing): it is retried only
/// when the upstream's status says so. Only a request that never left the gateway is retried after a failure.
/// </summary>
public sealed class RetrySafetyTests
{
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["Glassbox:Upstreams:Anthropic:Retry:BaseDelay"] = "00:00:00.05",
        ["Glassbox:Upstreams:OpenAI:Retry:BaseDelay"] = "00:00:00.05",
        ["Glassbox:Upstreams:Anthropic:CircuitBreaker:Enabled"] = "false",
        ["Glassbox:Upstreams:OpenAI:CircuitBreaker:Enabled"] = "false",
    };

    [Fact]
    public async Task Send_UpstreamResetsAfterReceivingTheRequest_NotRetriedAnd502()
    {
        await using var harness = await GatewayHarness.StartAsync(FastRetries);
        var stats = harness.SimulatorServices.GetRequiredService<SimulatorStats>();
        var model = AiRequests.UniqueModel("sentreset");
        var scenario = Guid.NewGuid().ToString("N");
        using var client = harness.CreateClient();

        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false,
            ("x-sim-fault", "reset"), ("x-sim-fail-times", "1"), ("x-sim-scenario", scenario)));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(1, stats.ScenarioAttempts(scenario));
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal(0, span.GetTagItem("ai.retry_count"));
        Assert.Equal("upstream_unreachable", span.GetTagItem("ai.error.type"));
    }

    [Fact]
    public async Task Send_HeadersTimeoutAfterTheRequestWasSent_NotRetried()
    {
        var settings = new Dictionary<string, string?>(FastRetries)
        {
            ["Glassbox:Upstreams:OpenAI:Timeouts:Headers"] = "00:00:01",
        };
        await using var harness = await GatewayHarness.StartAsync(settings);
        var stats = harness.SimulatorServices.GetRequiredService<SimulatorStats>();
        var model = AiRequests.UniqueModel("sentslow");
        var scenario = Guid.NewGuid().ToString("N");
        using var client = harness.CreateClient();

        using var response = await client.SendAsync(AiRequests.Post("v1/chat/completions", model, stream: false,
            ("x-sim-headers-delay-ms", "4000"), ("x-sim-scenario", scenario)));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(1, stats.ScenarioAttempts(scenario));
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal(0, span.GetTagItem("ai.retry_count"));
        Assert.Equal("response_headers", span.GetTagItem("glassbox.timeout"));
    }

    [Fact]
    public async Task Send_ConnectionRefused_RetriedBecauseNothingWasSent()
    {
        await using var harness = await GatewayHarness.StartAsync(FastRetries, upstreamOverride: new Uri($"http://127.0.0.1:{LoopbackPorts.Closed()}"));
        var model = AiRequests.UniqueModel("refusedretry");
        using var client = harness.CreateClient();

        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal(2, span.GetTagItem("ai.retry_count"));
        var attempts = harness.SpansOfTrace(span.TraceId).Where(s => s.DisplayName == "upstream attempt").ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal("connection_failure", a.GetTagItem("glassbox.attempt.outcome")));
    }

    [Fact]
    public async Task Send_RetryAfterLongerThanTheTotalTimeout_504WhenTheTotalTimeoutFires()
    {
        var settings = new Dictionary<string, string?>(FastRetries)
        {
            ["Glassbox:Upstreams:Anthropic:Timeouts:Total"] = "00:00:01",
        };
        await using var harness = await GatewayHarness.StartAsync(settings);
        var stats = harness.SimulatorServices.GetRequiredService<SimulatorStats>();
        var model = AiRequests.UniqueModel("backofftotal");
        var scenario = Guid.NewGuid().ToString("N");
        using var client = harness.CreateClient();
        var clock = Stopwatch.StartNew();

        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false,
            ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-after", "15"), ("x-sim-fail-times", "5"), ("x-sim-scenario", scenario)));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the backoff outlived the total timeout ({clock.Elapsed})");
        Assert.Contains("overall timeout", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, stats.ScenarioAttempts(scenario));
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal("total", span.GetTagItem("glassbox.timeout"));
        Assert.Equal("timeout", span.GetTagItem("ai.error.type"));
    }
}
