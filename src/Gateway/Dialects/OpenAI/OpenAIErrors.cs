using System.Buffers;
using System.Text.Json;

namespace Glassbox.Gateway.Dialects.OpenAI;

/// <summary>OpenAI's error shapes, shared by its Chat Completions and Responses dialects.</summary>
internal static class OpenAIErrors
{
    /// <summary><c>{"error":{"message","type","param","code"}}</c>.</summary>
    public static void Write(IBufferWriter<byte> buffer, GatewayErrorKind kind, string message)
    {
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", message);
        json.WriteString("type", Type(kind));
        json.WriteNull("param");
        json.WriteString("code", Code(kind));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static byte[] Format(GatewayErrorKind kind, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, kind, message);
        return buffer.WrittenSpan.ToArray();
    }

    public static string Type(GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.InvalidRequest or GatewayErrorKind.RequestTooLarge or GatewayErrorKind.Authentication => "invalid_request_error",
        _ => "server_error",
    };

    public static string Code(GatewayErrorKind kind) => kind switch
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
