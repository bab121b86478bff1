using System.Buffers;

namespace Glassbox.Gateway.StreamObservation.Sse;

/// <summary>
/// Incremental Server-Sent-Events parser (WHATWG HTML "event stream interpretation") over byte
/// chunks that may be split anywhere. Complete lines inside one chunk are parsed in place; only a
/// line that straddles chunks is copied into a pooled buffer. Event type and data are kept in pooled
/// buffers until the empty line dispatches them. Not thread-safe; never throws on input.
/// </summary>
internal sealed class SseReader : IDisposable
{
    public const int DefaultMaxEventBytes = ObservationLimits.DefaultMaxDocumentBytes;

    private const int MinBufferSize = 256;
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';

    private readonly int _maxEventBytes;

    private byte[] _line = [];
    private int _lineLength;
    private byte[] _data = [];
    private int _dataLength;
    private bool _hasData;
    private byte[] _eventType = [];
    private int _eventTypeLength;

    private bool _skipLeadingLf;   // previous chunk ended with CR: an LF starting the next chunk belongs to it
    private bool _atStreamStart = true;
    private bool _discardingLine;  // the current (partial) line made the event too large
    private bool _discardingEvent; // the current event is too large; dropped at its empty line
    private bool _disposed;

    public SseReader(int maxEventBytes = DefaultMaxEventBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventBytes, 16);
        _maxEventBytes = maxEventBytes;
    }

    /// <summary>No line or event is half-read: bytes appended now start a new event.</summary>
    public bool IsAtEventBoundary => _lineLength == 0 && !_hasData && _eventTypeLength == 0 && !_discardingEvent && !_discardingLine;

    /// <summary>Events dropped because a line or the data of one event exceeded the size cap.</summary>
    public int OversizedEvents { get; private set; }

    /// <summary>Parses <paramref name="chunk"/>, dispatching every event it completes to <paramref name="sink"/>.</summary>
    public void Feed<TSink>(ReadOnlySpan<byte> chunk, TSink sink)
        where TSink : ISseEventSink
    {
        if (_disposed || chunk.IsEmpty)
        {
            return;
        }

        if (_skipLeadingLf)
        {
            _skipLeadingLf = false;
            if (chunk[0] == Lf)
            {
                chunk = chunk[1..];
            }
        }

        while (!chunk.IsEmpty)
        {
            var end = chunk.IndexOfAny(Cr, Lf);
            if (end < 0)
            {
                AppendPartialLine(chunk);
                return;
            }

            var piece = chunk[..end];
            var terminator = chunk[end];
            chunk = chunk[(end + 1)..];
            if (terminator == Cr)
            {
                if (chunk.IsEmpty)
                {
                    _skipLeadingLf = true;
                }
                else if (chunk[0] == Lf)
                {
                    chunk = chunk[1..];
                }
            }

            if (_discardingLine)
            {
                // The oversized line ends here; it is ignored (its event is already being discarded).
                _discardingLine = false;
                _lineLength = 0;
                _atStreamStart = false;
                continue;
            }

            if (_lineLength > 0)
            {
                if (!TryAppendLine(piece))
                {
                    _lineLength = 0;
                    _atStreamStart = false;
                    continue;
                }

                var buffered = _line.AsSpan(0, _lineLength);
                _lineLength = 0;
                ProcessLine(buffered, sink);
            }
            else if (piece.Length > _maxEventBytes)
            {
                MarkOversized();
                _atStreamStart = false;
            }
            else
            {
                ProcessLine(piece, sink);
            }
        }
    }

    /// <summary>
    /// End of stream: an incomplete event is dropped (WHATWG). Returns true when something was pending
    /// (a partial line or fields without the closing empty line). The reader is reset for a new stream.
    /// </summary>
    public bool Complete()
    {
        var pending = _lineLength > 0 || _hasData || _eventTypeLength > 0 || _discardingEvent || _discardingLine;
        _lineLength = 0;
        ResetEvent();
        _discardingLine = false;
        _discardingEvent = false;
        _skipLeadingLf = false;
        _atStreamStart = true;
        return pending;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Return(ref _line);
        Return(ref _data);
        Return(ref _eventType);
        _lineLength = _dataLength = _eventTypeLength = 0;
    }

    private void ProcessLine<TSink>(ReadOnlySpan<byte> line, TSink sink)
        where TSink : ISseEventSink
    {
        if (_atStreamStart)
        {
            _atStreamStart = false;
            if (line.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                line = line[3..];
            }
        }

        if (line.IsEmpty)
        {
            Dispatch(sink);
            return;
        }

        if (_discardingEvent || line[0] == (byte)':')
        {
            return;
        }

        ReadOnlySpan<byte> name;
        ReadOnlySpan<byte> value;
        var colon = line.IndexOf((byte)':');
        if (colon < 0)
        {
            name = line;
            value = [];
        }
        else
        {
            name = line[..colon];
            value = line[(colon + 1)..];
            if (!value.IsEmpty && value[0] == (byte)' ')
            {
                value = value[1..];
            }
        }

        if (name.SequenceEqual("data"u8))
        {
            AppendData(value);
        }
        else if (name.SequenceEqual("event"u8))
        {
            EnsureCapacity(ref _eventType, 0, value.Length);
            value.CopyTo(_eventType);
            _eventTypeLength = value.Length;
        }

        // "id", "retry" and unknown fields are ignored.
    }

    private void Dispatch<TSink>(TSink sink)
        where TSink : ISseEventSink
    {
        if (_discardingEvent)
        {
            _discardingEvent = false;
            ResetEvent();
            return;
        }

        if (!_hasData)
        {
            ResetEvent();
            return;
        }

        ReadOnlySpan<byte> eventType = _eventType.AsSpan(0, _eventTypeLength);
        ReadOnlySpan<byte> data = _data.AsSpan(0, _dataLength);
        ResetEvent(); // the spans stay valid: nothing writes the buffers until the next Feed
        sink.OnEvent(eventType, data);
    }

    private void AppendData(ReadOnlySpan<byte> value)
    {
        var separator = _hasData ? 1 : 0;
        var needed = _dataLength + separator + value.Length;
        if (needed > _maxEventBytes)
        {
            MarkOversized();
            return;
        }

        EnsureCapacity(ref _data, _dataLength, needed);
        if (_hasData)
        {
            _data[_dataLength++] = Lf;
        }

        value.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += value.Length;
        _hasData = true;
    }

    private void AppendPartialLine(ReadOnlySpan<byte> bytes)
    {
        if (_discardingLine)
        {
            return;
        }

        if (!TryAppendLine(bytes))
        {
            _lineLength = 0;
            _discardingLine = true;
        }
    }

    private bool TryAppendLine(ReadOnlySpan<byte> bytes)
    {
        var needed = _lineLength + bytes.Length;
        if (needed > _maxEventBytes)
        {
            MarkOversized();
            return false;
        }

        EnsureCapacity(ref _line, _lineLength, needed);
        bytes.CopyTo(_line.AsSpan(_lineLength));
        _lineLength = needed;
        return true;
    }

    private void MarkOversized()
    {
        if (!_discardingEvent)
        {
            _discardingEvent = true;
            OversizedEvents++;
        }

        ResetEvent();
    }

    private void ResetEvent()
    {
        _dataLength = 0;
        _hasData = false;
        _eventTypeLength = 0;
    }

    private void EnsureCapacity(ref byte[] buffer, int used, int needed)
    {
        if (needed <= buffer.Length)
        {
            return;
        }

        var size = Math.Max(needed, Math.Max(MinBufferSize, buffer.Length * 2));
        size = Math.Max(needed, Math.Min(size, _maxEventBytes));
        var grown = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, used).CopyTo(grown);
        Return(ref buffer);
        buffer = grown;
    }

    private static void Return(ref byte[] buffer)
    {
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        buffer = [];
    }
}
