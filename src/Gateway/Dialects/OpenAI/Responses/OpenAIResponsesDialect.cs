using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Glassbox.Gateway.Requests;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Dialects.OpenAI.Responses;

/// <summary>The OpenAI Responses API (<c>/v1/responses</c>).</summary>
internal sealed class OpenAIResponsesDialect : IApiDialect, IJsonBodyFormat
{
    public static OpenAIResponsesDialect Instance { get; } = new();

    private OpenAIResponsesDialect()
    {
    }

    public string Name => "OpenAIResponses";

    public string OperationName => Telemetry.TelemetryNames.OperationChat;

    /// <summary>The prompt is <c>input</c> (a string or an array of items).</summary>
    public RequestFacts? ReadRequest(ReadOnlySpan<byte> body, string path, bool captureInput) =>
        RequestFactsReader.TryRead(body, inputIsMessages: true, captureInput);

    public IResponseObserver CreateObserver(bool isEventStream, ResponseFacts facts, int maxDocumentBytes) => isEventStream
        ? new OpenAIResponsesStreamObserver(facts, maxDocumentBytes)
        : new JsonBodyObserver(this, facts, maxDocumentBytes);

    public void ReadBody(ReadOnlySpan<byte> json, ResponseFacts facts) => OpenAIResponsesJson.ReadBody(json, facts);

    public IEnumerable<JsonElement> GeneratedParts(JsonElement root) =>
        root.TryGetProperty("output", out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().SelectMany(i =>
                i.ValueKind == JsonValueKind.Object && i.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.Array ? c.EnumerateArray() : [])
            : [];

    public byte[] FormatError(int statusCode, GatewayErrorKind kind, string message) => OpenAIErrors.Format(kind, message);

    /// <summary>The Responses stream's own <c>event: error</c> with a flat <c>{"type":"error","code","message","param"}</c>.</summary>
    public byte[] FormatStreamError(GatewayErrorKind kind, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write("event: error\ndata: "u8);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "error");
            json.WriteString("code", OpenAIErrors.Code(kind));
            json.WriteString("message", message);
            json.WriteNull("param");
            json.WriteEndObject();
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    public TokenUsage Usage(ResponseFacts facts) => OpenAIUsageJson.Usage(facts);

    public void SetRequestTags(Activity activity) => activity.SetTag(Telemetry.TelemetryNames.GenAI.OpenAIApiType, "responses");
}
