namespace Glassbox.Gateway.StreamObservation.Sse;

/// <summary>Receives the events dispatched by <see cref="SseReader"/>.</summary>
internal interface ISseEventSink
{
    /// <summary>
    /// One dispatched event. <paramref name="eventType"/> is empty when the block had no <c>event:</c> line
    /// (WHATWG's default type <c>message</c>). Both spans are only valid during the call.
    /// </summary>
    void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data);
}
