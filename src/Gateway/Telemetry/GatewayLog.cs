using Microsoft.Extensions.Logging;

namespace Glassbox.Gateway.Telemetry;

/// <summary>Source-generated log messages. None of them carries a key or message content.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1, EventName = "AiCall", Level = LogLevel.Information,
        Message = "AI call {Route} {Provider} {Model} → {Status} in {DurationMs} ms, TTFT {TtftMs} ms, tokens {InputTokens}/{OutputTokens}, end {EndReason}, trace {TraceId}")]
    public static partial void AiCallCompleted(ILogger logger, string route, string provider, string? model, int? status, double durationMs,
        double? ttftMs, long? inputTokens, long? outputTokens, string endReason, string? traceId);

    [LoggerMessage(EventId = 2, EventName = "AiCallFailed", Level = LogLevel.Warning,
        Message = "AI call {Route} {Provider} {Model} → {Status} in {DurationMs} ms, TTFT {TtftMs} ms, tokens {InputTokens}/{OutputTokens}, end {EndReason}, error {ErrorType}, trace {TraceId}")]
    public static partial void AiCallFailed(ILogger logger, string route, string provider, string? model, int? status, double durationMs,
        double? ttftMs, long? inputTokens, long? outputTokens, string endReason, string? errorType, string? traceId);

    // Without export no span exists (and no traceresponse header is sent): the line then names no trace.
    [LoggerMessage(EventId = 8, EventName = "AiCallUntraced", Level = LogLevel.Information,
        Message = "AI call {Route} {Provider} {Model} → {Status} in {DurationMs} ms, TTFT {TtftMs} ms, tokens {InputTokens}/{OutputTokens}, end {EndReason}")]
    public static partial void AiCallCompletedUntraced(ILogger logger, string route, string provider, string? model, int? status, double durationMs,
        double? ttftMs, long? inputTokens, long? outputTokens, string endReason);

    [LoggerMessage(EventId = 9, EventName = "AiCallFailedUntraced", Level = LogLevel.Warning,
        Message = "AI call {Route} {Provider} {Model} → {Status} in {DurationMs} ms, TTFT {TtftMs} ms, tokens {InputTokens}/{OutputTokens}, end {EndReason}, error {ErrorType}")]
    public static partial void AiCallFailedUntraced(ILogger logger, string route, string provider, string? model, int? status, double durationMs,
        double? ttftMs, long? inputTokens, long? outputTokens, string endReason, string? errorType);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Request body is not JSON on AI route {Route}; answered 400")]
    public static partial void InvalidJson(ILogger logger, string route);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Request body over {Limit} bytes on AI route {Route}; answered 413")]
    public static partial void BodyTooLarge(ILogger logger, string route, long limit);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Glassbox listening; upstreams: {Upstreams}; OTLP export: {OtlpEndpoint}")]
    public static partial void Started(ILogger logger, string upstreams, string otlpEndpoint);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "OTEL_TRACES_SAMPLER '{Value}' is not a known sampler; using parentbased_always_on")]
    public static partial void UnknownTraceSampler(ILogger logger, string value);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "OTEL_TRACES_SAMPLER_ARG '{Value}' is not a ratio between 0 and 1; using 1")]
    public static partial void InvalidTraceSamplerArgument(ILogger logger, string? value);
}
