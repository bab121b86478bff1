using System.Diagnostics;

namespace Glassbox.Gateway.Calls;

/// <summary>How a call ended, decided once by <see cref="CallEnding.Decide"/>; read by the middleware and telemetry.</summary>
/// <param name="EndReason"><c>glassbox.end_reason</c>.</param>
/// <param name="TimeoutKind"><c>glassbox.timeout</c>: which timeout fired, if one did.</param>
/// <param name="StatusCode">The status the client got: the upstream's, or the gateway's own answer's.</param>
/// <param name="Answer">The error the gateway must write, when no upstream answer reached the client.</param>
/// <param name="Error"><c>ai.error.type</c> / <c>error.type</c> and message; null when the call succeeded.</param>
/// <param name="SpanStatus">Status of the call span.</param>
/// <param name="Exception">The exception to record on the span.</param>
internal sealed record CallConclusion(
    CallEndReason EndReason,
    string? TimeoutKind,
    int? StatusCode,
    GatewayAnswer? Answer,
    CallError? Error,
    ActivityStatusCode SpanStatus,
    Exception? Exception)
{
    /// <summary>The call ended without an error.</summary>
    public bool Succeeded => Error is null;

    public string? SpanStatusDescription => Error is null ? null : Error.Message ?? Error.AiType;
}
