namespace Glassbox.Gateway.Calls;

/// <summary>Why a call ended; <c>glassbox.end_reason</c> on the span.</summary>
internal enum CallEndReason
{
    /// <summary>The upstream body ended and reached the client.</summary>
    Completed,

    /// <summary>The gateway answered by itself (bad request, body too large, upstream unreachable...).</summary>
    GatewayError,

    /// <summary>The upstream connection broke after the response started.</summary>
    UpstreamInterrupted,

    /// <summary>The client went away before the response ended.</summary>
    ClientDisconnected,

    /// <summary>A timeout fired (time to headers, idle between chunks, overall).</summary>
    Timeout,

    /// <summary>The gateway shut down and its drain timeout ran out before the call ended.</summary>
    Shutdown,
}
