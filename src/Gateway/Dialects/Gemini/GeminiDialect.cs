using System.Buffers;
using System.Text.Json;
using Glassbox.Gateway.Requests;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Dialects.Gemini;

/// <summary>Google's native Gemini API: <c>generateContent</c> and <c>streamGenerateContent</c> (SSE with <c>alt=sse</c>, else a JSON array).</summary>
internal sealed class GeminiDialect : IApiDialect
{
    public static GeminiDialect Instance { get; } = new();

    private GeminiDialect()
    {
    }

    public string Name => "Gemini";

    public string OperationName => Telemetry.TelemetryNames.OperationGenerateContent;

    public bool RetryDelayInBody => true;

    public RequestFacts? ReadRequest(ReadOnlySpan<byte> body, string path, bool captureInput) =>
        GeminiRequestReader.TryRead(body, path, captureInput);

    public IResponseObserver CreateObserver(bool isEventStream, ResponseFacts facts, int maxDocumentBytes) => isEventStream
        ? new GeminiStreamObserver(facts, maxDocumentBytes)
        : new GeminiJsonObserver(facts, maxDocumentBytes);

    /// <summary>
    /// Google's <c>{"error":{"code","message","status"}}</c>; the SDKs raise it as an <c>ApiError</c> with the HTTP status.
    /// </summary>
    public byte[] FormatError(int statusCode, GatewayErrorKind kind, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteError(buffer, statusCode, kind, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Gemini has no error event, but the SDKs raise a chunk holding only <c>error</c> (code 400–599) as an <c>ApiError</c>,
    /// while a stream that simply ends would look like a whole answer.
    /// </summary>
    public byte[] FormatStreamError(GatewayErrorKind kind, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write("data: "u8);
        WriteError(buffer, kind == GatewayErrorKind.Timeout ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status503ServiceUnavailable, kind, message);
        buffer.Write("\r\n\r\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// <c>promptTokenCount</c> includes cached tokens; tool-use prompt tokens come on top of it. Thoughts are billed as
    /// output but not counted in <c>candidatesTokenCount</c>.
    /// </summary>
    public TokenUsage Usage(ResponseFacts facts) => new(
        Sum(facts.InputTokens, facts.ToolUsePromptTokens),
        Sum(facts.OutputTokens, facts.ReasoningOutputTokens),
        facts.CacheReadInputTokens,
        facts.CacheCreationInputTokens,
        facts.ReasoningOutputTokens);

    /// <summary>The <c>google.rpc.Code</c> names (<c>error.status</c>) as <c>ai.error.type</c>.</summary>
    public string? ErrorType(string providerErrorType) => providerErrorType switch
    {
        "RESOURCE_EXHAUSTED" => Telemetry.TelemetryNames.ErrorTypes.RateLimit,
        "UNAVAILABLE" => Telemetry.TelemetryNames.ErrorTypes.Overloaded,
        "INVALID_ARGUMENT" or "FAILED_PRECONDITION" or "OUT_OF_RANGE" => Telemetry.TelemetryNames.ErrorTypes.InvalidRequest,
        "PERMISSION_DENIED" => Telemetry.TelemetryNames.ErrorTypes.Permission,
        "UNAUTHENTICATED" => Telemetry.TelemetryNames.ErrorTypes.Authentication,
        "NOT_FOUND" => Telemetry.TelemetryNames.ErrorTypes.NotFound,
        "DEADLINE_EXCEEDED" => Telemetry.TelemetryNames.ErrorTypes.Timeout,
        "INTERNAL" or "UNKNOWN" => Telemetry.TelemetryNames.ErrorTypes.ApiError,
        _ => null,
    };

    /// <summary>The <c>RetryInfo.retryDelay</c> of an error body (Google sends no <c>retry-after</c>).</summary>
    public TimeSpan? RetryDelay(ReadOnlySpan<byte> errorBody)
    {
        var facts = new ResponseFacts();
        try
        {
            return GeminiJson.TryRead(errorBody, facts, 0, streamed: false, out _) ? GeminiError.ParseDuration(facts.ErrorRetryAfter) : null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static long? Sum(long? a, long? b) => a is null && b is null ? null : (a ?? 0) + (b ?? 0);

    private static void WriteError(IBufferWriter<byte> buffer, int statusCode, GatewayErrorKind kind, string message)
    {
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteNumber("code", statusCode);
        json.WriteString("message", message);
        json.WriteString("status", RpcStatus(kind));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string RpcStatus(GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.InvalidRequest or GatewayErrorKind.RequestTooLarge => "INVALID_ARGUMENT",
        GatewayErrorKind.Authentication => "UNAUTHENTICATED",
        GatewayErrorKind.Timeout => "DEADLINE_EXCEEDED",
        GatewayErrorKind.UpstreamUnreachable or GatewayErrorKind.Overloaded or GatewayErrorKind.StreamInterrupted or GatewayErrorKind.ShuttingDown => "UNAVAILABLE",
        _ => "INTERNAL",
    };
}
