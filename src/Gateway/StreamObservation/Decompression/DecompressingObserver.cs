using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;

namespace Glassbox.Gateway.StreamObservation.Decompression;

/// <summary>
/// Decodes a side copy of a compressed body (gzip, deflate, br) so telemetry stays right while
/// the client still gets the compressed bytes. Decoding runs off the copy loop on its own task.
/// </summary>
internal sealed class DecompressingObserver : IResponseObserver, IDisposable
{
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly IResponseObserver _inner;
    private readonly TimeProvider _time;
    private readonly ResponseFacts _facts;
    private bool _endedCleanly;
    private int _writerCompleted;

    private DecompressingObserver(string encoding, IResponseObserver inner, ResponseFacts facts, TimeProvider time)
    {
        _inner = inner;
        _facts = facts;
        _time = time;
        Completion = Task.Run(() => DecodeAsync(encoding));
    }

    /// <summary>Finishes when the decoded copy has been observed; the call waits for it before it ends.</summary>
    public Task Completion { get; }

    public static bool CanDecode(string encoding) =>
        encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase)
        || encoding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase)
        || encoding.Equals("deflate", StringComparison.OrdinalIgnoreCase)
        || encoding.Equals("br", StringComparison.OrdinalIgnoreCase);

    public static DecompressingObserver Create(string encoding, IResponseObserver inner, ResponseFacts facts, TimeProvider time) =>
        new(encoding, inner, facts, time);

    public void OnBytes(ReadOnlySpan<byte> chunk, long timestamp)
    {
        if (Volatile.Read(ref _writerCompleted) != 0)
        {
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
            try
            {
                await using var compressed = _pipe.Reader.AsStream(leaveOpen: true);
                await using var decoded = Decoder(encoding, compressed);
                int read;
                while ((read = await decoded.ReadAsync(buffer)) > 0)
                {
                    _inner.OnBytes(buffer.AsSpan(0, read), _time.GetTimestamp());
                }
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or InvalidOperationException)
            {
                undecodable = true; // BrotliStream reports invalid data as InvalidOperationException
            }

            // The decoder can finish (br, deflate) or fail (a corrupt start) before the body has ended:
            // only once the body ended or broke is it known whether it ended cleanly.
            await DrainAsync();
            if (_endedCleanly)
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
        finally
        {
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
}
