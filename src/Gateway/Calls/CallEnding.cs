using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.StreamObservation.Tee;
using Yarp.ReverseProxy.Forwarder;
using static Glassbox.Gateway.Telemetry.TelemetryNames;

namespace Glassbox.Gateway.Calls;

/// <summary>
/// The one place that decides how a call ended: from the final attempt's result, the tee's
/// end-of-stream record and what the observers read, derives the end reason, the timeout that
/// fired, the gateway's own answer (when nothing was forwarded), the error type and the span status.
/// Pure: the same input always gives the same conclusion. A new way to end (a drain on shutdown,
/// say) is a new <see cref="StreamEndKind"/> or input flag mapped here, and nowhere else.
/// </summary>
internal static class CallEnding
{
    public static CallConclusion Decide(CallEndInput input)
    {
        if (input.Rejection is { } rejection)
        {
            return Conclude(input, rejection.EndReason, rejection.Kind == GatewayErrorKind.Timeout ? "total" : null, rejection.Status, rejection, exception: null);
        }

        var attempt = input.LastAttempt;
        var body = attempt?.Body;
        var status = attempt is { HeldBack: false } ? attempt.Status : null;
        var exception = body?.Exception ?? attempt?.Exception ?? input.Unhandled;

        // The tee saw how the body ended first-hand; aborting the caller's connection after an upstream break is its consequence, not its cause.
        switch (body?.Kind)
        {
            case StreamEndKind.Eof:
                return Conclude(input, CallEndReason.Completed, null, status, null, exception);
            case StreamEndKind.UpstreamBroke:
                return Conclude(input, CallEndReason.UpstreamInterrupted, null, status, null, exception);
            case StreamEndKind.IdleTimeout:
                return Conclude(input, CallEndReason.Timeout, "idle", status, null, exception);
            case StreamEndKind.TotalTimeout:
                return Conclude(input, CallEndReason.Timeout, "total", status, null, exception);
            case StreamEndKind.Shutdown:
                return Conclude(input, CallEndReason.Shutdown, null, status, null, exception);
            case StreamEndKind.ClientLeft:
                return Conclude(input, CallEndReason.ClientDisconnected, null, status, null, exception);
        }

        // The caller left before an answer was complete: there is no one to answer.
        if (input.ClientAborted)
        {
            return Conclude(input, CallEndReason.ClientDisconnected, null, status, null, exception);
        }

        if (input.Unhandled is not null)
        {
            return Conclude(input, CallEndReason.GatewayError, null, status, null, exception);
        }

        if (body is not null)
        {
            // The forwarder stopped reading the body: writing to the caller failed, or it gave up.
            return Conclude(input, attempt!.Error == ForwarderError.ResponseBodyClient ? CallEndReason.ClientDisconnected : CallEndReason.GatewayError,
                null, status, null, exception);
        }

        if (attempt is null)
        {
            return Conclude(input, CallEndReason.GatewayError, null, null, null, exception);
        }

        var answered = attempt.ResponseStarted;
        if (!answered && (input.DrainExpired || attempt.Timeout == AttemptTimeout.Shutdown))
        {
            return Answer(input, exception, null, StatusCodes.Status503ServiceUnavailable, GatewayErrorKind.ShuttingDown, ErrorTypes.Shutdown,
                "The gateway is shutting down and its drain timeout ran out before the upstream answered. Retry the call.", CallEndReason.Shutdown);
        }

        if (!answered && (input.TotalTimedOut || attempt.Timeout == AttemptTimeout.Total))
        {
            return Answer(input, exception, "total", StatusCodes.Status504GatewayTimeout, GatewayErrorKind.Timeout, ErrorTypes.Timeout,
                string.Create(CultureInfo.InvariantCulture, $"The call exceeded the gateway's overall timeout of {input.Timeouts.Total.TotalSeconds:0.#} s."));
        }

        if (!answered && attempt.Status is null
            && (attempt.Timeout == AttemptTimeout.Headers || attempt.Error is ForwarderError.RequestCanceled or ForwarderError.RequestTimedOut))
        {
            return Answer(input, exception, "response_headers", StatusCodes.Status504GatewayTimeout, GatewayErrorKind.Timeout, ErrorTypes.Timeout,
                string.Create(CultureInfo.InvariantCulture, $"The upstream '{input.UpstreamName}' sent no response headers within {input.Timeouts.Headers.TotalSeconds:0.#} s."));
        }

        return attempt.Error switch
        {
            ForwarderError.None => Conclude(input, CallEndReason.Completed, null, status, null, exception),
            ForwarderError.Request or ForwarderError.RequestCreation or ForwarderError.NoAvailableDestinations when !answered =>
                Answer(input, exception, null, StatusCodes.Status502BadGateway, GatewayErrorKind.UpstreamUnreachable, ErrorTypes.UpstreamUnreachable,
                    $"The gateway could not reach the upstream '{input.UpstreamName}': {Describe(exception)}."),
            ForwarderError.ResponseBodyClient => Conclude(input, CallEndReason.ClientDisconnected, null, status, null, exception),
            _ => Conclude(input, CallEndReason.GatewayError, null, status, null, exception),
        };
    }

    private static CallConclusion Answer(CallEndInput input, Exception? exception, string? timeoutKind, int status, GatewayErrorKind kind, string errorType, string message,
        CallEndReason? reason = null)
    {
        var answer = new GatewayAnswer(status, kind, errorType, message, reason ?? (kind == GatewayErrorKind.Timeout ? CallEndReason.Timeout : CallEndReason.GatewayError));
        return Conclude(input, answer.EndReason, timeoutKind, status, answer, exception);
    }

    private static CallConclusion Conclude(CallEndInput input, CallEndReason reason, string? timeoutKind, int? status, GatewayAnswer? answer, Exception? exception)
    {
        var bodyEnded = input.LastAttempt?.Body?.Kind == StreamEndKind.Eof;
        var error = ErrorClassifier.Classify(reason, timeoutKind, status, answer, input.Provider, input.Stream, bodyEnded, input.Unhandled);
        return new CallConclusion(reason, timeoutKind, status, answer, error, error is null ? ActivityStatusCode.Unset : ActivityStatusCode.Error, exception);
    }

    private static string Describe(Exception? exception) => exception switch
    {
        null => "no response",
        HttpRequestException { InnerException: SocketException socket } => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host name could not be resolved",
            SocketError.TimedOut => "connect timed out",
            SocketError.ConnectionReset => "connection reset",
            _ => socket.SocketErrorCode.ToString(),
        },
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "host name could not be resolved",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "connection failed",
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => "the upstream closed the connection without answering",
        HttpRequestException http => http.HttpRequestError.ToString(),
        _ => exception.GetType().Name,
    };
}
