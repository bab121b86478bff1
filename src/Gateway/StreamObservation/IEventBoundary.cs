namespace Glassbox.Gateway.StreamObservation;

/// <summary>Implemented by event-stream observers: whether the bytes seen so far end exactly between two events.</summary>
internal interface IEventBoundary
{
    /// <summary>True when no line or event is half-read, so an extra event can be appended without corrupting the stream.</summary>
    bool IsAtEventBoundary { get; }
}
