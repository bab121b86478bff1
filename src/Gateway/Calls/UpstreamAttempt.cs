namespace Glassbox.Gateway.Calls;

/// <summary>
/// One upstream attempt while it runs: created fresh for every attempt (nothing to reset between
/// retries), written by the response transform when headers arrive, and read once into an
/// <see cref="AttemptResult"/> when the attempt is over.
/// </summary>
internal sealed class UpstreamAttempt(int number, bool mayHoldBack, AttemptPhases phases, CancellationTokenSource headersTimer)
{
    /// <summary>1-based.</summary>
    public int Number { get; } = number;

    /// <summary>Retries are left: an answer the upstream marks as retryable may be held back from the client.</summary>
    public bool MayHoldBack { get; } = mayHoldBack;

    public AttemptPhases Phases { get; } = phases;

    /// <summary>Time to headers of this attempt; stopped when headers arrive.</summary>
    public CancellationTokenSource HeadersTimer { get; } = headersTimer;

    /// <summary>The upstream's status code, once its headers arrived.</summary>
    public int? Status { get; private set; }

    /// <summary>The answer was held back for a retry: nothing of it reached the client.</summary>
    public bool HeldBack { get; private set; }

    /// <summary>The wait the upstream asked for on a held-back answer.</summary>
    public TimeSpan? RetryAfter { get; private set; }

    public void RecordHeaders(int status, Version version, long timestamp)
    {
        Status = status;
        Phases.ResponseVersion = version;
        Phases.HeadersReceived = timestamp;
        HeadersTimer.CancelAfter(Timeout.InfiniteTimeSpan);
    }

    /// <summary>The upstream answered the usage-injected body with 400: held back so the call is sent again as the client wrote it.</summary>
    public bool UsageInjectionRejected { get; private set; }

    public void HoldBack(TimeSpan? retryAfter)
    {
        HeldBack = true;
        RetryAfter = retryAfter;
    }

    public void HoldBackForUsageInjection()
    {
        HeldBack = true;
        UsageInjectionRejected = true;
    }
}
