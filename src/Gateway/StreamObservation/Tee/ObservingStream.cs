using System.Runtime.CompilerServices;
using Glassbox.Gateway.Calls;
using Glassbox.Gateway.Dialects;

namespace Glassbox.Gateway.StreamObservation.Tee;

/// <summary>
/// The tee: hands every byte the forwarder reads to the client unchanged, and shows the same
/// bytes to an observer. Never throws anything of its own into the copy loop. When the upstream
/// breaks off or falls silent past the idle timeout between two events of a plain event stream,
/// it ends the client's stream cleanly with the dialect's error event; anywhere else (mid-event,
/// a JSON body, a content-encoded body) it passes the break on, so the forwarder aborts the
/// client's response as the upstream's own break would look: a cut body never looks complete.
/// Reports one <see cref="StreamEnd"/> to the call.
/// </summary>
internal sealed class ObservingStream : Stream
{
    private readonly Stream _inner;
    private readonly AiCall _call;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationTokenSource _idle = new();
    private ITimer? _idleTimer;

    // When the pending upstream read began (NotReading between reads). The idle timer checks it when it fires,
    // instead of being re-armed around every read: two timer-queue updates per chunk cost more than the chunk's observation.
    private long _readStarted = NotReading;
    private const long NotReading = long.MinValue;
    private CancellationTokenSource? _linked;
    private CancellationToken _linkedFor;
    private IResponseObserver? _observer;
    private byte[]? _ending;
    private int _endingOffset;
    private int _disposed;
    private bool _ended;

    public ObservingStream(Stream inner, IResponseObserver? observer, AiCall call, TimeProvider time, TimeSpan idleTimeout)
    {
        _inner = inner;
        _observer = observer;
        _call = call;
        _time = time;
        _idleTimeout = idleTimeout;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ending is not null)
        {
            return DrainEnding(buffer.Span);
        }

        int read;
        var token = Link(cancellationToken);
        // Only silence of the upstream counts as idle, not time spent writing to a slow client.
        Volatile.Write(ref _readStarted, _time.GetTimestamp());
        _idleTimer ??= _time.CreateTimer(static state => ((ObservingStream)state!).CheckIdle(), this, _idleTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            read = await _inner.ReadAsync(buffer, token);
        }
        catch (Exception exception)
        {
            if (!TryEndGracefully(exception))
            {
                throw;
            }

            return DrainEnding(buffer.Span);
        }
        finally
        {
            Volatile.Write(ref _readStarted, NotReading);
        }

        if (read > 0)
        {
            Observe(buffer.Span[..read]);
        }
        else if (buffer.Length > 0 && !_ended)
        {
            // A zero-byte read into an empty buffer (YARP's probe before renting) is not the end.
            var now = _time.GetTimestamp();
            End(new StreamEnd(StreamEndKind.Eof, now));
            var observer = _observer;
            if (observer is not null)
            {
                try
                {
                    observer.OnEnd(now);
                }
                catch (Exception exception)
                {
                    StopObserving(exception);
                }
            }
        }

        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            End(new StreamEnd(StreamEndKind.Abandoned, _time.GetTimestamp()));
            (Interlocked.Exchange(ref _observer, null) as IDisposable)?.Dispose();
            _inner.Dispose();
            _idleTimer?.Dispose();
            _linked?.Dispose();
            _idle.Dispose();
        }

        base.Dispose(disposing);
    }

    private CancellationToken Link(CancellationToken forwarderToken)
    {
        if (_linked is null || _linkedFor != forwarderToken)
        {
            _linked?.Dispose();
            // The tee's own timers end only its read, never the forwarder's token: the dialect's error event must still reach the client.
            _linked = CancellationTokenSource.CreateLinkedTokenSource(forwarderToken, _idle.Token, _call.DrainExpired);
            _linkedFor = forwarderToken;
        }

        return _linked.Token;
    }

    /// <summary>
    /// The idle timer fired: a read pending for the whole idle timeout is ended; otherwise the timer is set for
    /// when the pending read (or, between reads, the next one at the earliest) would have been silent that long.
    /// </summary>
    private void CheckIdle()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        var started = Volatile.Read(ref _readStarted);
        var silent = started == NotReading ? TimeSpan.Zero : _time.GetElapsedTime(started);
        try
        {
            if (silent >= _idleTimeout)
            {
                _idle.Cancel();
            }
            else
            {
                _idleTimer?.Change(_idleTimeout - silent, Timeout.InfiniteTimeSpan);
            }
        }
        catch (ObjectDisposedException)
        {
            // The stream ended while the timer fired.
        }
    }

    /// <summary>Decides whether a failed upstream read ends the client's stream cleanly (true) or is passed on as a break.</summary>
    private bool TryEndGracefully(Exception exception)
    {
        var now = _time.GetTimestamp();
        StreamEndKind kind;
        if (_call.ClientAborted.IsCancellationRequested)
        {
            kind = StreamEndKind.ClientLeft;
        }
        else if (exception is not OperationCanceledException)
        {
            kind = StreamEndKind.UpstreamBroke;
        }
        else if (_call.TotalTimeout.IsCancellationRequested)
        {
            kind = StreamEndKind.TotalTimeout;
        }
        else if (_call.DrainExpired.IsCancellationRequested && !_linkedFor.IsCancellationRequested)
        {
            kind = StreamEndKind.Shutdown;
        }
        else if (_idle.IsCancellationRequested && !_linkedFor.IsCancellationRequested)
        {
            kind = StreamEndKind.IdleTimeout;
        }
        else
        {
            kind = StreamEndKind.Abandoned;
        }

        // Only between two events of a plain event stream can an error event be appended without corrupting what the client parses.
        var ending = kind is StreamEndKind.UpstreamBroke or StreamEndKind.IdleTimeout or StreamEndKind.Shutdown
            && _observer is IEventBoundary { IsAtEventBoundary: true }
            && _call.ContentEncoding is null
                ? ErrorEvent(kind)
                : null;
        End(new StreamEnd(kind, now, exception, ErrorEventAppended: ending is not null));
        _ending = ending;
        return ending is not null;
    }

    /// <summary>The dialect's error event for how the stream ended; null when the dialect has none.</summary>
    private byte[]? ErrorEvent(StreamEndKind kind) => kind switch
    {
        StreamEndKind.IdleTimeout => _call.Dialect.FormatStreamError(GatewayErrorKind.Timeout,
            $"The upstream sent nothing for {_idleTimeout.TotalSeconds:0.#} s (idle timeout); the gateway ended the stream."),
        StreamEndKind.Shutdown => _call.Dialect.FormatStreamError(GatewayErrorKind.ShuttingDown,
            "The gateway is shutting down and its drain timeout ran out; the gateway ended the stream."),
        _ => _call.Dialect.FormatStreamError(GatewayErrorKind.StreamInterrupted,
            "The upstream connection broke before the response ended; the gateway ended the stream."),
    };

    private void End(StreamEnd end)
    {
        if (!_ended)
        {
            _ended = true;
            _call.ReportStreamEnd(end);
        }
    }

    private int DrainEnding(Span<byte> destination)
    {
        var remaining = _ending.AsSpan(_endingOffset);
        if (remaining.IsEmpty || destination.IsEmpty)
        {
            return 0;
        }

        var count = Math.Min(remaining.Length, destination.Length);
        remaining[..count].CopyTo(destination);
        _endingOffset += count;
        return count;
    }

    private void Observe(ReadOnlySpan<byte> chunk)
    {
        var observer = _observer;
        if (observer is null)
        {
            return;
        }

        var arrived = _time.GetTimestamp();
        try
        {
            observer.OnBytes(chunk, arrived);
        }
        catch (Exception exception)
        {
            StopObserving(exception);
        }

        // The observer's time is the gateway's own per-chunk cost (glassbox.gateway.overhead).
        _call.GatewayWorkTicks += _time.GetTimestamp() - arrived;
    }

    // An observer bug must cost telemetry, never the client's bytes.
    private void StopObserving(Exception exception)
    {
        _call.Response.RecordObserverFailure(ObserverFailures.Exception, $"observer failed: {exception.GetType().Name}");
        (Interlocked.Exchange(ref _observer, null) as IDisposable)?.Dispose();
    }
}
