using Glassbox.Gateway.Dialects;

namespace Glassbox.Gateway.StreamObservation;

/// <summary>Picks the observer for one response. Every observer returned is <see cref="IDisposable"/>; dispose it when the body ends or breaks.</summary>
internal static class ResponseObserverFactory
{
    /// <param name="dialect">The route's dialect; null gives null (nothing is observed).</param>
    /// <param name="isEventStream">The response's content type is <c>text/event-stream</c>; otherwise the body is read as JSON.</param>
    /// <param name="facts">Where the observer writes what it learns.</param>
    /// <param name="maxDocumentBytes">Largest JSON document parsed: a whole body, or the data of one SSE event.</param>
    public static IResponseObserver? Create(
        IApiDialect? dialect,
        bool isEventStream,
        ResponseFacts facts,
        int maxDocumentBytes = ObservationLimits.DefaultMaxDocumentBytes) =>
        dialect?.CreateObserver(isEventStream, facts, maxDocumentBytes);
}
