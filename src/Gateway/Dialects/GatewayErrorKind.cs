namespace Glassbox.Gateway.Dialects;

/// <summary>Why the gateway answered on its own instead of forwarding the upstream's answer.</summary>
internal enum GatewayErrorKind
{
    InvalidRequest,
    RequestTooLarge,
    UpstreamUnreachable,
    Timeout,
    Overloaded,
    StreamInterrupted,
    Internal,

    /// <summary>No gateway key, or a wrong one.</summary>
    Authentication,

    /// <summary>The gateway is shutting down and its drain timeout ran out.</summary>
    ShuttingDown,
}
