using Glassbox.Gateway.Telemetry;

namespace Glassbox.Gateway.StreamObservation;

/// <summary>
/// What the observers learned from one response body. Written by exactly one observer
/// (on the copy loop's thread, or the decompression task), read once when the call ends.
/// Timestamps come from <see cref="TimeProvider.GetTimestamp"/> of the gateway's clock.
/// </summary>
internal sealed class ResponseFacts
{
    private long[] _gapTicks = [];
    private long _previousContentTimestamp;

    // Every string below comes from the upstream: bounded here, once, before telemetry reads it.
    public string? ResponseId { get; set => field = TelemetryText.Name(value); }
    public string? ResponseModel { get; set => field = TelemetryText.Name(value); }

    /// <summary>Raw provider stop/finish reason (e.g. <c>end_turn</c>, <c>stop</c>, <c>completed</c>).</summary>
    public string? FinishReason { get; set => field = TelemetryText.Name(value); }

    public long? InputTokens { get; set; }
    public long? OutputTokens { get; set; }
    public long? CacheReadInputTokens { get; set; }
    public long? CacheCreationInputTokens { get; set; }
    public long? ReasoningOutputTokens { get; set; }

    /// <summary>Gemini <c>toolUsePromptTokenCount</c>: prompt tokens of tool results, billed as input beside the prompt's.</summary>
    public long? ToolUsePromptTokens { get; set; }

    /// <summary>Timestamp of the first generated-content delta (streaming only).</summary>
    public long? FirstContentTimestamp { get; private set; }
    public long? LastContentTimestamp { get; private set; }

    /// <summary>Number of generated-content deltas.</summary>
    public int ContentChunks { get; private set; }

    /// <summary>Largest gap between two consecutive content deltas, in timestamp ticks.</summary>
    public long MaxContentGapTicks { get; private set; }

    /// <summary>Error reported inside a 200 response (Anthropic <c>event: error</c>, OpenAI stream error, <c>response.failed</c>).</summary>
    public string? StreamErrorType { get; set => field = TelemetryText.Name(value); }
    public string? StreamErrorMessage { get; set => field = TelemetryText.Message(value); }

    /// <summary>Error object of a non-2xx JSON body (provider's <c>error.type</c> and <c>error.message</c>).</summary>
    public string? ErrorBodyType { get; set => field = TelemetryText.Name(value); }
    public string? ErrorBodyMessage { get; set => field = TelemetryText.Message(value); }

    /// <summary>The wait an error's body asks for (Gemini <c>RetryInfo.retryDelay</c>, e.g. <c>30s</c>), for providers that send no <c>retry-after</c>.</summary>
    public string? ErrorRetryAfter { get; set => field = TelemetryText.Name(value); }

    /// <summary>The dialect's terminal event was seen (<c>message_stop</c>, <c>[DONE]</c>, <c>response.completed</c>...), or a whole JSON body was parsed.</summary>
    public bool Completed { get; set; }

    /// <summary>Generated text, collected only when content capture is on (null otherwise: no cost).</summary>
    public OutputCapture? Output { get; set; }

    /// <summary>Set when data could not be understood (malformed JSON, oversized event); bytes still flowed.</summary>
    public string? ObservationProblem { get; set; }

    /// <summary>Gaps between consecutive content deltas in timestamp ticks (one fewer than the deltas).</summary>
    public ReadOnlySpan<long> ContentGapTicks => _gapTicks.AsSpan(0, Math.Max(0, ContentChunks - 1));

    public void MarkContentDelta(long timestamp)
    {
        if (ContentChunks == 0)
        {
            FirstContentTimestamp = timestamp;
        }
        else
        {
            var gap = timestamp - _previousContentTimestamp;
            if (gap > MaxContentGapTicks)
            {
                MaxContentGapTicks = gap;
            }

            var index = ContentChunks - 1;
            if (index == _gapTicks.Length)
            {
                Array.Resize(ref _gapTicks, Math.Max(16, _gapTicks.Length * 2));
            }

            _gapTicks[index] = gap;
        }

        _previousContentTimestamp = timestamp;
        LastContentTimestamp = timestamp;
        ContentChunks++;
    }

    /// <summary>Why observing failed (<see cref="ObserverFailures"/>), when it did: counted in <c>glassbox.observer.failures</c>.</summary>
    public string? ObserverFailure { get; private set; }

    public void RecordProblem(string problem) => ObservationProblem ??= TelemetryText.Message(problem);

    /// <summary>The gateway's own observation failed (not the body): the span says why, a metric counts it.</summary>
    public void RecordObserverFailure(string failure, string problem)
    {
        ObserverFailure ??= failure;
        RecordProblem(problem);
    }
}
