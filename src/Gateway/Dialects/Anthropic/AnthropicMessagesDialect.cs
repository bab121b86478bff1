using System.Buffers;
using System.Text.Json;
using Glassbox.Gateway.Requests;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Dialects.Anthropic;

/// <summary>The Anthropic Messages API (<c>/v1/messages</c>).</summary>
internal sealed class AnthropicMessagesDialect : IApiDialect, IJsonBodyFormat
{
    public static AnthropicMessagesDialect Instance { get; } = new();

    private AnthropicMessagesDialect()
    {
    }

    public string Name => "AnthropicMessages";

    public string OperationName => Telemetry.TelemetryNames.OperationChat;

    public RequestFacts? ReadRequest(ReadOnlySpan<byte> body, string path, bool captureInput) =>
        RequestFactsReader.TryRead(body, inputIsMessages: false, captureInput);

    public IResponseObserver CreateObserver(bool isEventStream, ResponseFacts facts, int maxDocumentBytes) => isEventStream
        ? new AnthropicMessagesStreamObserver(facts, maxDocumentBytes)
        : new JsonBodyObserver(this, facts, maxDocumentBytes);

    public void ReadBody(ReadOnlySpan<byte> json, ResponseFacts facts) => AnthropicJson.ReadBody(json, facts);

    public IEnumerable<JsonElement> GeneratedParts(JsonElement root) =>
        root.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array ? content.EnumerateArray() : [];

    /// <summary>Anthropic's <c>{"type":"error","error":{"type","message"}}</c>.</summary>
    public byte[] FormatError(int statusCode, GatewayErrorKind kind, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteError(buffer, kind, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>event: error</c>, which the Anthropic SDKs raise as an API error.</summary>
    public byte[] FormatStreamError(GatewayErrorKind kind, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write("event: error\ndata: "u8);
        WriteError(buffer, kind, message);
        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Anthropic's <c>input_tokens</c> excludes cache reads and writes; the semantic conventions' input includes them.</summary>
    public TokenUsage Usage(ResponseFacts facts) => new(
        facts.InputTokens is { } input ? input + (facts.CacheReadInputTokens ?? 0) + (facts.CacheCreationInputTokens ?? 0) : null,
        facts.OutputTokens, facts.CacheReadInputTokens, facts.CacheCreationInputTokens, facts.ReasoningOutputTokens);

    private static void WriteError(IBufferWriter<byte> buffer, GatewayErrorKind kind, string message)
    {
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteString("type", "error");
        json.WriteStartObject("error");
        json.WriteString("type", ErrorType(kind));
        json.WriteString("message", message);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string ErrorType(GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.InvalidRequest => "invalid_request_error",
        GatewayErrorKind.RequestTooLarge => "request_too_large",
        GatewayErrorKind.Overloaded => "overloaded_error",
        GatewayErrorKind.Authentication => "authentication_error",
        _ => "api_error",
    };
}
