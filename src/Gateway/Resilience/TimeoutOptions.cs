namespace Glassbox.Gateway.Resilience;

/// <summary>Timeouts fit for LLM calls: a non-streaming answer may take minutes before its headers.</summary>
public sealed class TimeoutOptions
{
    /// <summary>From sending the request to the upstream's response headers, per attempt (retried only when no request byte had been sent).</summary>
    public TimeSpan Headers { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest silence between two reads of the response body ("thinking" pauses need minutes).</summary>
    public TimeSpan Idle { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Cap on the whole call, retries and streaming included.</summary>
    public TimeSpan Total { get; set; } = TimeSpan.FromMinutes(60);
}
