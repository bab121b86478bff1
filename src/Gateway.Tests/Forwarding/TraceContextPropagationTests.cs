using System.Diagnostics;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Forwarding;

/// <summary>What the upstream is told about the trace: the span it continues is one the gateway exports.</summary>
public sealed class TraceContextPropagationTests
{
    [Fact]
    public async Task Send_CallerTraceparent_UpstreamParentIsTheExportedAttemptSpan()
    {
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var harness = await GatewayHarness.StartAsync(upstreamOverride: upstream.Uri);
        using var client = harness.CreateClient();
        var trace = ActivityTraceId.CreateRandom();

        await upstream.SendAsync(client, AiRequests.Post("v1/messages", "m", stream: false,
            ("traceparent", $"00-{trace}-b7ad6b7169203331-01"), ("tracestate", "vendor=1")));

        Assert.True(upstream.Headers.TryDequeue(out var seen));
        var parts = seen["traceparent"].Split('-');
        Assert.Equal(["00", trace.ToHexString()], parts[..2]);
        Assert.Equal("01", parts[3]);
        var attempt = await WaitForSpanAsync(harness, trace, "upstream attempt");
        Assert.Equal(attempt.SpanId.ToHexString(), parts[2]);
        Assert.Equal("vendor=1", seen["tracestate"]);
    }

    [Fact]
    public async Task Send_NoCallerTrace_UpstreamContinuesTheGatewaysTraceAtTheAttemptSpan()
    {
        await using var upstream = await HeaderRecordingUpstream.StartAsync();
        await using var harness = await GatewayHarness.StartAsync(upstreamOverride: upstream.Uri);
        using var client = harness.CreateClient();

        await upstream.SendAsync(client, AiRequests.Post("v1/messages", "m", stream: false));

        Assert.True(upstream.Headers.TryDequeue(out var seen));
        var parts = seen["traceparent"].Split('-');
        var attempt = await WaitForSpanAsync(harness, ActivityTraceId.CreateFromString(parts[1]), "upstream attempt");
        Assert.Equal(attempt.SpanId.ToHexString(), parts[2]);
        Assert.False(seen.ContainsKey("tracestate"));
    }

    private static async Task<Activity> WaitForSpanAsync(GatewayHarness harness, ActivityTraceId trace, string name)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (harness.SpansOfTrace(trace).FirstOrDefault(s => s.DisplayName == name) is { } span)
            {
                return span;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"no '{name}' span in trace {trace}");
            await Task.Delay(20);
        }
    }
}
