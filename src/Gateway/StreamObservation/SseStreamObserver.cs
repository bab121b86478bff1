using Glassbox.Gateway.StreamObservation.Sse;

namespace Glassbox.Gateway.StreamObservation;

/// <summary>
/// Base of the streaming observers: owns the <see cref="SseReader"/>, stamps each dispatched event
/// with the arrival time of the chunk that completed it, and turns any parsing failure into
/// <see cref="ResponseFacts.RecordProblem"/>. Dispose returns the reader's pooled buffers.
/// </summary>
internal abstract class SseStreamObserver : IResponseObserver, IEventBoundary, IDisposable
{
    private readonly SseReader _reader;
    private long _timestamp;
    private bool _disposed;

    protected SseStreamObserver(ResponseFacts facts, int maxEventBytes)
    {
        ArgumentNullException.ThrowIfNull(facts);
        Facts = facts;
        _reader = new SseReader(maxEventBytes);
    }

    protected ResponseFacts Facts { get; }

    public bool IsAtEventBoundary => !_disposed && _reader.IsAtEventBoundary;

    /// <summary>Recorded when an event's data cannot be parsed (no content, no exception text).</summary>
    protected abstract string MalformedEventProblem { get; }

    public void OnBytes(ReadOnlySpan<byte> chunk, long timestamp)
    {
        if (_disposed)
        {
            return;
        }

        _timestamp = timestamp;
        var oversized = _reader.OversizedEvents;
        _reader.Feed(chunk, new Sink(this));
        if (_reader.OversizedEvents != oversized)
        {
            Facts.RecordProblem("SSE event exceeded the size cap and was skipped.");
        }
    }

    public void OnEnd(long timestamp)
    {
        if (_disposed)
        {
            return;
        }

        _timestamp = timestamp;
        if (_reader.Complete())
        {
            Facts.RecordProblem("Stream ended inside an unterminated SSE event; it was dropped.");
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _reader.Dispose();
        }
    }

    /// <summary>One dispatched SSE event; <paramref name="eventType"/> is empty without an <c>event:</c> line.</summary>
    protected abstract void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data, long timestamp);

    private void Dispatch(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data)
    {
        try
        {
            OnEvent(eventType, data, _timestamp);
        }
        catch (Exception)
        {
            // JsonException for malformed JSON, InvalidOperationException/FormatException for odd values.
            Facts.RecordProblem(MalformedEventProblem);
        }
    }

    private readonly struct Sink(SseStreamObserver owner) : ISseEventSink
    {
        public void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data) => owner.Dispatch(eventType, data);
    }
}
