namespace Glassbox.Gateway.Resilience;

/// <summary>Retries of one upstream, made before any response byte reached the client.</summary>
public sealed class RetryOptions
{
    /// <summary>Retries after the first attempt (0 turns retrying off).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>First backoff; doubles per retry, with jitter, when the upstream gives no <c>retry-after</c>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest single wait, whatever <c>retry-after</c> asks for.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);
}
