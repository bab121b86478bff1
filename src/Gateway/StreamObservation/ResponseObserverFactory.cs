using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.StreamObservation.Anthropic;
using Glassbox.Gateway.StreamObservation.OpenAI;
using Glassbox.Gateway.StreamObservation.Sse;

namespace Glassbox.Gateway.StreamObservation;

/// <summary>Picks the observer for one response. Every observer returned is <see cref="IDisposable"/>; dispose it when the body ends or breaks.</summary>
internal static class ResponseObserverFactory
{
    /// <param name="dialect">The route's dialect; <see cref="ApiDialect.None"/> gives null (nothing is observed).</param>
    /// <param name="isEventStream">The response's content type is <c>text/event-stream</c>; otherwise the body is read as one JSON document.</param>
    /// <param name="facts">Where the observer writes what it learns.</param>
    public static IResponseObserver? Create(
        ApiDialect dialect,
        bool isEventStream,
        ResponseFacts facts,
        int maxEventBytes = SseReader.DefaultMaxEventBytes,
        int maxBodyBytes = JsonBodyObserver.DefaultMaxBodyBytes)
    {
        if (dialect == ApiDialect.None)
        {
            return null;
        }

        if (!isEventStream)
        {
            return new JsonBodyObserver(dialect, facts, maxBodyBytes);
        }

        return dialect switch
        {
            ApiDialect.AnthropicMessages => new AnthropicMessagesStreamObserver(facts, maxEventBytes),
            ApiDialect.OpenAIChatCompletions => new OpenAIChatStreamObserver(facts, maxEventBytes),
            ApiDialect.OpenAIResponses => new OpenAIResponsesStreamObserver(facts, maxEventBytes),
            _ => null,
        };
    }
}
