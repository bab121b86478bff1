namespace Glassbox.Gateway.StreamObservation.Tee;

/// <summary>How the forwarded body ended, as the tee saw it. Reported once per response.</summary>
internal enum StreamEndKind
{
    /// <summary>The upstream's body reached its end and was forwarded whole.</summary>
    Eof,

    /// <summary>Reading the upstream failed (connection reset, protocol error).</summary>
    UpstreamBroke,

    /// <summary>The upstream sent nothing for longer than the idle timeout.</summary>
    IdleTimeout,

    /// <summary>The call's overall time cap fired while the body was being forwarded.</summary>
    TotalTimeout,

    /// <summary>The gateway's drain timeout ran out (shutdown) while the body was being forwarded.</summary>
    Shutdown,

    /// <summary>The caller went away while the body was being forwarded.</summary>
    ClientLeft,

    /// <summary>The forwarder stopped reading for a reason of its own (cancelled, or the body was dropped).</summary>
    Abandoned,
}

/// <param name="Kind">How the body ended.</param>
/// <param name="Timestamp">When the last byte was handed on, or the body was given up.</param>
/// <param name="Exception">The read failure, when there was one.</param>
/// <param name="ErrorEventAppended">The client's stream was ended with the dialect's error event; otherwise a break was passed on as a break.</param>
internal sealed record StreamEnd(StreamEndKind Kind, long Timestamp, Exception? Exception = null, bool ErrorEventAppended = false);
