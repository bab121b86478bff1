using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.StreamObservation.Sse;

namespace Glassbox.Gateway.Dialects.OpenAI.Chat;

/// <summary>
/// Observes an OpenAI Chat Completions stream: <c>data: {chunk}</c> events without event names,
/// ended by <c>data: [DONE]</c>. A chunk with non-empty generated content counts as one content delta;
/// the <c>include_usage</c> chunk supplies token counts; a chunk with <c>error</c> is a stream error.
/// </summary>
internal sealed class OpenAIChatStreamObserver(ResponseFacts facts, int maxEventBytes = ObservationLimits.DefaultMaxDocumentBytes)
    : SseStreamObserver(facts, maxEventBytes)
{
    protected override string MalformedEventProblem => "Malformed JSON in an OpenAI chat stream chunk.";

    protected override void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data, long timestamp)
    {
        if (data.Trim(" \t\r\n"u8).SequenceEqual("[DONE]"u8))
        {
            Facts.Completed = true;
            return;
        }

        if (!JsonRead.StartRootObject(data, out var reader))
        {
            Facts.RecordProblem(MalformedEventProblem);
            return;
        }

        var error = default(JsonErrorObject);
        if (OpenAIChatJson.ReadObject(ref reader, Facts, ref error))
        {
            Facts.MarkContentDelta(timestamp);
        }

        if (error.Seen)
        {
            Facts.StreamErrorType = error.TypeOrCode("error");
            Facts.StreamErrorMessage = error.Message;
        }
    }
}
