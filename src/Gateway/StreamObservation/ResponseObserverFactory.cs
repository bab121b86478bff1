using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.StreamObservation.Anthropic;
using Glassbox.Gateway.StreamObservation.OpenAI;

namespace Glassbox.Gateway.StreamObservation;

/// <summary>Picks the observer for one response. Every observer returned is <see cref="IDisposable"/>; dispose it when the body ends or breaks.</summary>
internal static class ResponseObserverFactory
{
    /// <param name="dialect">The route's dialect; <see cref="ApiDialect.None"/> gives null (nothing is observed).</param>
    /// <param name="isEventStream">The response's content type is <c>text/event-stream</c>; otherwise the body is read as one JSON document.</param>
    /// <param name="facts">Where the observer writes what it learns.</param>
    /// <param name="maxDocumentBytes">Largest JSON document parsed: a whole body, or the data of one SSE event.</param>
    public static IResponseObserver? Create(
        ApiDialect dialect,
        bool isEventStream,
        ResponseFacts facts,
        int maxDocumentBytes = ObservationLimits.DefaultMaxDocumentBytes)
    {
        if (dialect == ApiDialect.None)
        {
            return null;
        }

        if (!isEventStream)
        {
            return new JsonBodyObserver(dialect, facts, maxDocumentBytes);
        }

        return dialect switch
        {
            ApiDialect.AnthropicMessages => new AnthropicMessagesStreamObserver(facts, maxDocumentBytes),
            ApiDialect.OpenAIChatCompletions => new OpenAIChatStreamObserver(facts, maxDocumentBytes),
            ApiDialect.OpenAIResponses => new OpenAIResponsesStreamObserver(facts, maxDocumentBytes),
            _ => null,
        };
    }
}
