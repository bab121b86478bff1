namespace Glassbox.Gateway.Resilience;

/// <summary>How one upstream attempt ended, as the retry and circuit-breaker strategies see it.</summary>
/// <param name="Retryable">Nothing reached the client and the failure is transient.</param>
/// <param name="Failure">Counts against the circuit breaker (5xx, 529, connection failure, headers timeout).</param>
/// <param name="Reason">Low-cardinality reason: the status code, <c>connection_failure</c> or <c>headers_timeout</c>.</param>
/// <param name="RetryAfter">The upstream's requested wait (<c>retry-after</c> / <c>retry-after-ms</c>).</param>
internal readonly record struct AttemptOutcome(bool Retryable, bool Failure, string Reason, TimeSpan? RetryAfter)
{
    public static AttemptOutcome Success { get; } = new(false, false, "ok", null);
}
