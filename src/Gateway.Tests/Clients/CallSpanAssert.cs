using System.Diagnostics;

namespace Glassbox.Gateway.Tests.Clients;

/// <summary>Checks on the exported call span shared by the SDK tests.</summary>
internal static class CallSpanAssert
{
    /// <summary>Generous allowance for scheduling noise on a busy test machine.</summary>
    public static readonly TimeSpan TtftSlack = TimeSpan.FromMilliseconds(1500);

    /// <summary>The text the simulator generates for <paramref name="deltas"/> text deltas: "word0 word1 ... ".</summary>
    public static string SimulatedText(int deltas) => string.Concat(Enumerable.Range(0, deltas).Select(i => $"word{i} "));

    /// <summary>The identity of a successful call span: its name, kind, provider, models and status.</summary>
    public static void SucceededCall(Activity span, string provider, string model, bool stream)
    {
        Assert.Equal($"chat {model}", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(provider, span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(model, span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(model, span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(stream, span.GetTagItem("gen_ai.request.stream"));
        Assert.Equal(0, span.GetTagItem("ai.retry_count"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal("completed", span.GetTagItem("glassbox.end_reason"));
        Assert.Null(span.GetTagItem("ai.error.type"));
        Assert.Null(span.GetTagItem("error.type"));
        Assert.True(span.Status is ActivityStatusCode.Unset or ActivityStatusCode.Ok, $"span status {span.Status}: {span.StatusDescription}");
    }

    public static void FinishReason(Activity span, string finishReason)
    {
        Assert.Equal(new[] { finishReason }, Assert.IsType<string[]>(span.GetTagItem("gen_ai.response.finish_reasons")));
        Assert.Equal(finishReason, span.GetTagItem("ai.stop_reason"));
    }

    /// <summary>
    /// Streaming timing: the gateway's time to first token covers the simulator's configured wait, is no later
    /// than what the client itself saw, and both TTFT attributes agree (seconds vs rounded milliseconds).
    /// </summary>
    public static void StreamTiming(Activity span, int configuredTtftMs, int deltas, TimeSpan clientTtft)
    {
        Assert.Equal(deltas, span.GetTagItem("ai.chunks"));
        Assert.Equal(true, span.GetTagItem("glassbox.stream.completed"));

        var ttftMs = Assert.IsType<double>(span.GetTagItem("ai.ttft_ms"));
        Assert.InRange(ttftMs, configuredTtftMs, configuredTtftMs + TtftSlack.TotalMilliseconds);
        Assert.True(ttftMs <= clientTtft.TotalMilliseconds, $"gateway TTFT {ttftMs} ms is later than the client's first token at {clientTtft.TotalMilliseconds} ms");

        var ttftSeconds = Assert.IsType<double>(span.GetTagItem("gen_ai.response.time_to_first_chunk"));
        Assert.Equal(ttftMs, ttftSeconds * 1000, 0.01);

        var latencyMs = Assert.IsType<double>(span.GetTagItem("ai.latency_ms"));
        Assert.True(latencyMs >= ttftMs, $"latency {latencyMs} ms < TTFT {ttftMs} ms");
    }

    /// <summary>A non-streaming call has no time to first chunk and no stream-completion flag.</summary>
    public static void NoStreamTiming(Activity span)
    {
        Assert.Null(span.GetTagItem("ai.ttft_ms"));
        Assert.Null(span.GetTagItem("gen_ai.response.time_to_first_chunk"));
        Assert.Null(span.GetTagItem("glassbox.stream.completed"));
    }

    /// <summary>A failed call: classified error, the upstream status, Error status with the provider's message.</summary>
    public static void FailedCall(Activity span, string model, string aiErrorType, string semconvErrorType, int status, string? providerMessage)
    {
        Assert.Equal($"chat {model}", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(aiErrorType, span.GetTagItem("ai.error.type"));
        Assert.Equal(semconvErrorType, span.GetTagItem("error.type"));
        Assert.Equal(status, span.GetTagItem("ai.error.status"));
        Assert.Equal(status, span.GetTagItem("http.response.status_code"));
        Assert.Equal(0, span.GetTagItem("ai.retry_count"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.False(string.IsNullOrEmpty(providerMessage));
        Assert.Equal(providerMessage, span.StatusDescription);
    }
}
