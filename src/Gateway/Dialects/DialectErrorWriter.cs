using System.Buffers;
using System.Text.Json;

namespace Glassbox.Gateway.Dialects;

/// <summary>
/// Errors the gateway itself produces, shaped like the provider's own so the official SDKs
/// raise their typed exceptions with a readable message.
/// </summary>
internal static class DialectErrorWriter
{
    public static Task WriteAsync(HttpContext context, ApiDialect dialect, int statusCode, GatewayErrorKind kind, string message)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        var body = Format(dialect, kind, message);
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }

    public static byte[] Format(ApiDialect dialect, GatewayErrorKind kind, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteErrorObject(buffer, dialect == ApiDialect.AnthropicMessages ? ApiDialect.AnthropicMessages : ApiDialect.OpenAIChatCompletions, kind, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The dialect's own mid-stream error event, used to end a client's stream cleanly when the
    /// upstream broke off: the SDKs raise it as an API error instead of a bare connection reset.
    /// </summary>
    public static byte[] FormatStreamError(ApiDialect dialect, GatewayErrorKind kind, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(dialect is ApiDialect.AnthropicMessages or ApiDialect.OpenAIResponses ? "event: error\ndata: "u8 : "data: "u8);
        WriteErrorObject(buffer, dialect, kind, message);
        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Anthropic's <c>{"type":"error","error":{...}}</c>, the Responses stream's flat
    /// <c>{"type":"error","code",...}</c>, or OpenAI's <c>{"error":{...}}</c> for everything else.
    /// </summary>
    private static void WriteErrorObject(IBufferWriter<byte> buffer, ApiDialect dialect, GatewayErrorKind kind, string message)
    {
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        switch (dialect)
        {
            case ApiDialect.AnthropicMessages:
                json.WriteString("type", "error");
                json.WriteStartObject("error");
                json.WriteString("type", AnthropicType(kind));
                json.WriteString("message", message);
                json.WriteEndObject();
                break;
            case ApiDialect.OpenAIResponses:
                json.WriteString("type", "error");
                json.WriteString("code", OpenAICode(kind));
                json.WriteString("message", message);
                json.WriteNull("param");
                break;
            default:
                json.WriteStartObject("error");
                json.WriteString("message", message);
                json.WriteString("type", OpenAIType(kind));
                json.WriteNull("param");
                json.WriteString("code", OpenAICode(kind));
                json.WriteEndObject();
                break;
        }

        json.WriteEndObject();
    }

    private static string AnthropicType(GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.InvalidRequest => "invalid_request_error",
        GatewayErrorKind.RequestTooLarge => "request_too_large",
        GatewayErrorKind.Overloaded => "overloaded_error",
        GatewayErrorKind.Authentication => "authentication_error",
        _ => "api_error",
    };

    private static string OpenAIType(GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.InvalidRequest or GatewayErrorKind.RequestTooLarge or GatewayErrorKind.Authentication => "invalid_request_error",
        _ => "server_error",
    };

    private static string OpenAICode(GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.InvalidRequest => "invalid_json",
        GatewayErrorKind.RequestTooLarge => "request_too_large",
        GatewayErrorKind.UpstreamUnreachable => "upstream_unreachable",
        GatewayErrorKind.Timeout => "upstream_timeout",
        GatewayErrorKind.Overloaded => "upstream_unavailable",
        GatewayErrorKind.StreamInterrupted => "stream_interrupted",
        GatewayErrorKind.ShuttingDown => "gateway_shutting_down",
        GatewayErrorKind.Authentication => "invalid_api_key",
        _ => "gateway_error",
    };
}

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
