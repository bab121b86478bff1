using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Dialects.Gemini;

/// <summary>
/// Observes <c>streamGenerateContent?alt=sse</c>: each <c>data:</c> event is one <c>GenerateContentResponse</c>, with no
/// event names and no terminator; the answer is whole once a candidate's <c>finishReason</c> (or the prompt's
/// <c>blockReason</c>) arrived. An event holding only <c>error</c> is a stream error.
/// </summary>
internal sealed class GeminiStreamObserver(ResponseFacts facts, int maxEventBytes = ObservationLimits.DefaultMaxDocumentBytes)
    : SseStreamObserver(facts, maxEventBytes)
{
    protected override string MalformedEventProblem => "Malformed JSON in a Gemini stream event.";

    protected override void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data, long timestamp)
    {
        if (data.Trim(" \t\r\n"u8).IsEmpty)
        {
            return; // a keep-alive
        }

        if (!GeminiJson.TryRead(data, Facts, timestamp, streamed: true, out var finished))
        {
            Facts.RecordProblem(MalformedEventProblem);
            return;
        }

        if (finished)
        {
            Facts.Completed = true;
        }
    }
}
