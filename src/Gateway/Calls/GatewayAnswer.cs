using Glassbox.Gateway.Dialects;

namespace Glassbox.Gateway.Calls;

/// <summary>An error the gateway answers itself, in the caller's dialect, when no upstream answer is forwarded.</summary>
/// <param name="Status">HTTP status the client gets.</param>
/// <param name="Kind">Which dialect error object to write.</param>
/// <param name="ErrorType"><c>ai.error.type</c> of the call.</param>
/// <param name="Message">Human-readable; never a key or prompt.</param>
/// <param name="EndReason">How the call ended (a timeout answer ends it as a timeout).</param>
internal sealed record GatewayAnswer(int Status, GatewayErrorKind Kind, string ErrorType, string Message, CallEndReason EndReason = CallEndReason.GatewayError);
