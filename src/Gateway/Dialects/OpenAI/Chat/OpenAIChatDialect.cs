using System.Buffers;
using System.Text.Json;
using Glassbox.Gateway.Requests;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Dialects.OpenAI.Chat;

/// <summary>OpenAI Chat Completions (<c>/v1/chat/completions</c>).</summary>
internal sealed class OpenAIChatDialect : IApiDialect, IJsonBodyFormat
{
    public static OpenAIChatDialect Instance { get; } = new();

    private OpenAIChatDialect()
    {
    }

    public string Name => "OpenAIChatCompletions";

    public string OperationName => Telemetry.TelemetryNames.OperationChat;

    public bool InjectsStreamUsage => true;

    public RequestFacts? ReadRequest(ReadOnlySpan<byte> body, string path, bool captureInput) =>
        RequestFactsReader.TryRead(body, inputIsMessages: false, captureInput);

    public IResponseObserver CreateObserver(bool isEventStream, ResponseFacts facts, int maxDocumentBytes) => isEventStream
        ? new OpenAIChatStreamObserver(facts, maxDocumentBytes)
        : new JsonBodyObserver(this, facts, maxDocumentBytes);

    public void ReadBody(ReadOnlySpan<byte> json, ResponseFacts facts) => OpenAIChatJson.ReadBody(json, facts);

    public IEnumerable<JsonElement> GeneratedParts(JsonElement root) =>
        root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array
            ? choices.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("message", out var m) ? m : default)
            : [];

    public byte[] FormatError(int statusCode, GatewayErrorKind kind, string message) => OpenAIErrors.Format(kind, message);

    /// <summary>A <c>data: {"error":{...}}</c> chunk, which the OpenAI SDKs raise as an API error.</summary>
    public byte[] FormatStreamError(GatewayErrorKind kind, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write("data: "u8);
        OpenAIErrors.Write(buffer, kind, message);
        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    public TokenUsage Usage(ResponseFacts facts) => OpenAIUsageJson.Usage(facts);
}
