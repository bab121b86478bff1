namespace Glassbox.SimulatedUpstream.Control;

/// <summary>What one call does: instance defaults overridden by the request's control headers.</summary>
internal sealed record SimulationPlan
{
    public int HeadersDelayMs { get; init; }
    public int TimeToFirstTokenMs { get; init; }
    public int DeltaGapMs { get; init; }
    public int Deltas { get; init; }
    public int InputTokens { get; init; }
    public int OutputTokens { get; init; }
    public int CacheReadTokens { get; init; }
    public int CacheCreationTokens { get; init; }
    public int ReasoningTokens { get; init; }
    public ContentKind Content { get; init; }
    public int? StallAfter { get; init; }
    public int StallMs { get; init; }

    /// <summary>The fault to apply to this call; <see cref="FaultKind.None"/> when the scenario has used up its failures.</summary>
    public FaultKind Fault { get; init; }
    public int Status { get; init; }
    public int FaultAfter { get; init; }
    public string? RetryAfter { get; init; }
    public string? RetryAfterMs { get; init; }
    public string? ShouldRetry { get; init; }

    /// <summary>Gemini: <c>RetryInfo.retryDelay</c> of an error body, e.g. <c>30s</c>.</summary>
    public string? RetryDelay { get; init; }

    /// <summary>Gemini: <c>usageMetadata.toolUsePromptTokenCount</c>.</summary>
    public int ToolUsePromptTokens { get; init; }

    /// <summary>Gemini: <c>finishReason</c> instead of <c>STOP</c>.</summary>
    public string? FinishReason { get; init; }

    /// <summary><c>gzip</c>, <c>br</c> or null (only set when the client accepts it).</summary>
    public string? Compression { get; init; }
    /// <summary>A broken-upstream behaviour instead of a normal answer (<c>x-sim-hostile</c>).</summary>
    public Hostile.HostileKind Hostile { get; init; }

    /// <summary>Size of the hostile part; null: the kind's default.</summary>
    public long? HostileBytes { get; init; }
    public CallIds Ids { get; init; } = null!;
    public long Created { get; init; }
}
