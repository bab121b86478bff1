using Glassbox.Gateway.Telemetry;
using static Glassbox.Gateway.Telemetry.TelemetryNames;

namespace Glassbox.Gateway.Calls;

/// <summary>Decides <c>ai.error.type</c> and <c>error.type</c> from what a call went through.</summary>
internal static class ErrorClassifier
{
    /// <summary>Returns null when the call succeeded.</summary>
    public static CallError? Classify(CallEndReason endReason, string? timeoutKind, int? status, GatewayAnswer? answer, ProviderVerdict provider,
        bool stream, bool bodyEnded, Exception? unhandled)
    {
        var providerType = provider.ErrorBodyType ?? provider.StreamErrorType;
        var message = answer?.Message ?? provider.ErrorBodyMessage ?? provider.StreamErrorMessage;

        if (answer is not null)
        {
            return new CallError(answer.ErrorType, providerType ?? answer.ErrorType, message);
        }

        switch (endReason)
        {
            case CallEndReason.ClientDisconnected:
                return new CallError(ErrorTypes.ClientDisconnected, ErrorTypes.ClientDisconnected, message ?? "The client closed the connection before the response ended.");
            case CallEndReason.Timeout:
                return new CallError(ErrorTypes.Timeout, ErrorTypes.Timeout, message ?? $"The {timeoutKind ?? "upstream"} timeout fired.");
            case CallEndReason.Shutdown:
                return new CallError(ErrorTypes.Shutdown, ErrorTypes.Shutdown, message ?? "The gateway shut down and its drain timeout ran out before the response ended.");
            case CallEndReason.UpstreamInterrupted:
                return new CallError(ErrorTypes.StreamInterrupted, ErrorTypes.StreamInterrupted, message ?? "The upstream connection broke before the response ended.");
            case CallEndReason.GatewayError when status is null or < 400:
                return new CallError(ErrorTypes.ApiError, unhandled?.GetType().FullName ?? ErrorTypes.ApiError, "The gateway failed while forwarding the call.");
        }

        if (status is >= 400 and var code)
        {
            var seed = provider.DialectErrorType ?? FromProviderType(providerType) ?? FromStatus(code);
            return new CallError(seed, providerType ?? code.ToString(System.Globalization.CultureInfo.InvariantCulture), message);
        }

        if (provider.StreamErrorType is { } streamError)
        {
            return new CallError(provider.DialectErrorType ?? FromProviderType(streamError) ?? ErrorTypes.ApiError, streamError, message);
        }

        if (stream && bodyEnded && !provider.Completed)
        {
            return new CallError(ErrorTypes.StreamInterrupted, ErrorTypes.StreamInterrupted, "The upstream stream ended without its terminal event.");
        }

        return null;
    }

    public static string FromStatus(int status) => status switch
    {
        400 or 422 => ErrorTypes.InvalidRequest,
        401 => ErrorTypes.Authentication,
        403 => ErrorTypes.Permission,
        404 => ErrorTypes.NotFound,
        408 or 504 => ErrorTypes.Timeout,
        413 => ErrorTypes.RequestTooLarge,
        429 => ErrorTypes.RateLimit,
        503 or 529 => ErrorTypes.Overloaded,
        >= 500 => ErrorTypes.ApiError,
        _ => ErrorTypes.InvalidRequest,
    };

    private static string? FromProviderType(string? providerType) => providerType switch
    {
        null => null,
        "rate_limit_error" or "rate_limit_exceeded" or "insufficient_quota" or "tokens" or "requests" => ErrorTypes.RateLimit,
        "overloaded_error" or "overloaded" or "server_overloaded" => ErrorTypes.Overloaded,
        "authentication_error" or "invalid_api_key" => ErrorTypes.Authentication,
        "permission_error" or "permission_denied" => ErrorTypes.Permission,
        "invalid_request_error" or "context_length_exceeded" => ErrorTypes.InvalidRequest,
        "not_found_error" or "model_not_found" => ErrorTypes.NotFound,
        "request_too_large" => ErrorTypes.RequestTooLarge,
        "api_error" or "server_error" => ErrorTypes.ApiError,
        "timeout_error" => ErrorTypes.Timeout,
        _ => null,
    };
}

/// <param name="AiType">The <c>ai.error.type</c> seed value.</param>
/// <param name="SemconvType">The <c>error.type</c> value: the provider's own error type, or the status code.</param>
/// <param name="Message">The provider's (or gateway's) error message; never a key or prompt.</param>
internal sealed record CallError(string AiType, string SemconvType, string? Message);
