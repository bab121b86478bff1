namespace Glassbox.SimulatedUpstream.Control;

/// <summary>Request headers that steer one simulated call. All optional; see README.md.</summary>
internal static class ControlHeaders
{
    public const string HeadersDelayMs = "x-sim-headers-delay-ms";
    public const string TimeToFirstTokenMs = "x-sim-ttft-ms";
    public const string DeltaGapMs = "x-sim-delta-gap-ms";
    public const string Deltas = "x-sim-deltas";
    public const string InputTokens = "x-sim-input-tokens";
    public const string OutputTokens = "x-sim-output-tokens";
    public const string CacheReadTokens = "x-sim-cache-read-tokens";
    public const string CacheCreationTokens = "x-sim-cache-creation-tokens";
    public const string ReasoningTokens = "x-sim-reasoning-tokens";
    public const string Content = "x-sim-content";
    public const string StallAfter = "x-sim-stall-after";
    public const string StallMs = "x-sim-stall-ms";
    public const string Fault = "x-sim-fault";
    public const string Status = "x-sim-status";
    public const string FaultAfter = "x-sim-fault-after";
    public const string RetryAfter = "x-sim-retry-after";
    public const string RetryAfterMs = "x-sim-retry-after-ms";
    public const string ShouldRetry = "x-sim-should-retry";
    public const string FailTimes = "x-sim-fail-times";
    public const string Scenario = "x-sim-scenario";
    public const string Compress = "x-sim-compress";
    public const string Hostile = "x-sim-hostile";
    public const string HostileBytes = "x-sim-hostile-bytes";
    public const string Id = "x-sim-id";
    public const string Created = "x-sim-created";
    public const string RetryDelay = "x-sim-retry-delay";
    public const string RejectStreamOptions = "x-sim-reject-stream-options";
    public const string ToolUsePromptTokens = "x-sim-tool-use-prompt-tokens";
    public const string FinishReason = "x-sim-finish-reason";
}
