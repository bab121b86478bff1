using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;

namespace Glassbox.Gateway.StreamObservation.Decompression;

/// <summary>
/// Decodes a side copy of a compressed body (gzip, deflate, br) so telemetry stays right while
/// the client still gets the compressed bytes. Decoding runs off the copy loop on its own task.
/// Bounded: it stops inflating past <see cref="ObservationLimits.InflationFactor"/> × the document cap
/// (a gzip bomb costs bounded CPU), and gives up when more than <see cref="ObservationLimits.DecoderBacklogFactor"/>
/// × the cap of compressed bytes wait for the decoder (memory stays bounded); either is recorded as a problem.
/// </summary>
internal sealed class DecompressingObserver : IResponseObserver, IBackgroundObservation, IDisposable
{
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly IResponseObserver _inner;
    private readonly TimeProvider _time;
    private readonly ResponseFacts _facts;
    private readonly long _maxInflatedBytes;
    private readonly long _maxBacklogBytes;
    private long _backlog;        // compressed bytes written to the pipe, not yet taken by the decoder
    private volatile bool _overrun; // the backlog passed its cap: the writer gave up
    private volatile bool _stopped; // the decoder is done (cap or error): the writer stops writing
    private bool _endedCleanly;
    private int _writerCompleted;
    private bool _abandonRequested;

    // Held while the decoder hands decoded bytes (or the end) to the inner observer, which writes the call's facts.
    private readonly Lock _factsWriter = new();

    private readonly TaskCompletionSource _decodingStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DecompressingObserver(string encoding, IResponseObserver inner, ResponseFacts facts, TimeProvider time, int maxDocumentBytes)
    {
        _inner = inner;
        _facts = facts;
        _time = time;
        _maxInflatedBytes = (long)maxDocumentBytes * ObservationLimits.InflationFactor;
        _maxBacklogBytes = (long)maxDocumentBytes * ObservationLimits.DecoderBacklogFactor;
        Completion = Task.Run(() => DecodeAsync(encoding));
    }

    /// <summary>Finishes when the decoded copy has been observed; the call waits for it before it ends.</summary>
    public Task Completion { get; }

    /// <summary>Finishes when the decoder stopped reading (end of the compressed data, or data it cannot decode), possibly before the body ended.</summary>
    public Task DecodingStopped => _decodingStopped.Task;

    /// <summary>An abandon was asked for (the decoder stops at its next chunk).</summary>
    internal bool AbandonRequested => Volatile.Read(ref _abandonRequested);

    public static bool CanDecode(string encoding) =>
        encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase)
        || encoding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase)
        || encoding.Equals("deflate", StringComparison.OrdinalIgnoreCase)
        || encoding.Equals("br", StringComparison.OrdinalIgnoreCase);

    public static DecompressingObserver Create(
        string encoding, IResponseObserver inner, ResponseFacts facts, TimeProvider time, int maxDocumentBytes = ObservationLimits.DefaultMaxDocumentBytes) =>
        new(encoding, inner, facts, time, maxDocumentBytes);

    public void OnBytes(ReadOnlySpan<byte> chunk, long timestamp)
    {
        if (Volatile.Read(ref _writerCompleted) != 0)
        {
            return;
        }

        if (_stopped)
        {
            CompleteWriter(); // only this side writes or completes the pipe's writer
            return;
        }

        if (Interlocked.Add(ref _backlog, chunk.Length) > _maxBacklogBytes)
        {
            _overrun = true;
            CompleteWriter();
            return;
        }

        _pipe.Writer.Write(chunk);
        // Never waits: the pipe does not pause writers (pauseWriterThreshold 0).
        var flush = _pipe.Writer.FlushAsync();
        if (!flush.IsCompleted)
        {
            _ = flush.AsTask();
        }
    }

    public void OnEnd(long timestamp)
    {
        _endedCleanly = true;
        CompleteWriter();
    }

    public void Dispose() => CompleteWriter();

    /// <inheritdoc/>
    public void Abandon()
    {
        Volatile.Write(ref _abandonRequested, true);
        lock (_factsWriter)
        {
            // Taken once a write in progress is over; every later write checks the flag under this lock first.
        }

        CompleteWriter();
    }

    private void CompleteWriter()
    {
        if (Interlocked.Exchange(ref _writerCompleted, 1) == 0)
        {
            _pipe.Writer.Complete();
        }
    }

    private async Task DecodeAsync(string encoding)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var undecodable = false;
            var inflatedTooMuch = false;
            try
            {
                await using var compressed = new BacklogStream(_pipe.Reader.AsStream(leaveOpen: true), this);
                await using var decoded = Decoder(encoding, compressed);
                long inflated = 0;
                int read;
                while (!AbandonRequested && (read = await decoded.ReadAsync(buffer)) > 0)
                {
                    inflated += read;
                    if (inflated > _maxInflatedBytes)
                    {
                        inflatedTooMuch = true;
                        break;
                    }

                    lock (_factsWriter)
                    {
                        if (AbandonRequested)
                        {
                            break;
                        }

                        _inner.OnBytes(buffer.AsSpan(0, read), _time.GetTimestamp());
                    }
                }
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or InvalidOperationException)
            {
                undecodable = true; // BrotliStream reports invalid data as InvalidOperationException
            }

            _decodingStopped.TrySetResult();

            // The decoder can finish (br, deflate) or fail (a corrupt start) before the body has ended:
            // only once the body ended or broke is it known whether it ended cleanly.
            _stopped = inflatedTooMuch; // past the cap nothing more is decoded: the writer may stop copying
            await DrainAsync();
            lock (_factsWriter)
            {
                if (AbandonRequested)
                {
                    // The call was finished without this decoder: it writes nothing more.
                }
                else if (inflatedTooMuch)
                {
                    _facts.RecordProblem($"{encoding} body inflated past {_maxInflatedBytes} bytes; decoding stopped");
                }
                else if (_overrun)
                {
                    _facts.RecordProblem($"{encoding} decoder fell more than {_maxBacklogBytes} bytes behind; decoding stopped");
                }
                else if (_endedCleanly)
                {
                    if (undecodable)
                    {
                        // A cut stream ends mid-block; an undecodable body only costs telemetry.
                        _facts.RecordProblem($"{encoding} body could not be decoded");
                    }
                    else
                    {
                        _inner.OnEnd(_time.GetTimestamp());
                    }
                }
            }
        }
        finally
        {
            _decodingStopped.TrySetResult();
            await _pipe.Reader.CompleteAsync();
            ArrayPool<byte>.Shared.Return(buffer);
            (_inner as IDisposable)?.Dispose();
        }
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            var result = await _pipe.Reader.ReadAsync();
            Interlocked.Add(ref _backlog, -result.Buffer.Length);
            _pipe.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return;
            }
        }
    }

    private static Stream Decoder(string encoding, Stream compressed) => encoding.ToUpperInvariant() switch
    {
        "GZIP" or "X-GZIP" => new GZipStream(compressed, CompressionMode.Decompress),
        "DEFLATE" => new ZLibStream(compressed, CompressionMode.Decompress),
        _ => new BrotliStream(compressed, CompressionMode.Decompress),
    };

    /// <summary>The pipe's read side as the decoder sees it; every read shrinks the writer's backlog.</summary>
    private sealed class BacklogStream(Stream inner, DecompressingObserver owner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Taken(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Taken(await inner.ReadAsync(buffer, cancellationToken));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Taken(int read)
        {
            Interlocked.Add(ref owner._backlog, -read);
            return read;
        }
    }
}
