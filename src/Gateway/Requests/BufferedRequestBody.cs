using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace Glassbox.Gateway.Requests;

/// <summary>
/// The request body held in a pooled buffer so it can be parsed once and replayed on every attempt.
/// </summary>
internal sealed class BufferedRequestBody : IDisposable
{
    private readonly bool _pooled;
    private byte[]? _buffer;

    private BufferedRequestBody(byte[] buffer, int length, bool pooled = true)
    {
        _buffer = buffer;
        Length = length;
        _pooled = pooled;
    }

    /// <summary>A body the gateway wrote itself (an edited request), replayed like one read from the client.</summary>
    public static BufferedRequestBody FromBytes(byte[] bytes) => new(bytes, bytes.Length, pooled: false);

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Reads the whole body; returns null when it exceeds <paramref name="limit"/> bytes.</summary>
    public static async ValueTask<BufferedRequestBody?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        // Kestrel's own 30 MB cap would otherwise answer before we can answer in the caller's dialect.
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        // One byte past the limit tells "over the limit" apart; never past what an array can hold (limit may be long.MaxValue).
        var ceiling = (int)Math.Min(limit, Array.MaxLength - 1) + 1;
        var initial = (int)Math.Clamp(request.ContentLength ?? 16 * 1024, 256, ceiling);
        var buffer = ArrayPool<byte>.Shared.Rent(initial);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit || length >= ceiling)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, ceiling));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
            }

            return new BufferedRequestBody(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>Points the request at a fresh read-only stream over the buffer (one per attempt).</summary>
    /// <param name="request">The request to point at the buffer.</param>
    /// <param name="started">Told when the forwarder first reads the body: from then on the upstream may have the request.</param>
    /// <param name="sent">Told when the forwarder has read all of it.</param>
    /// <param name="time">The clock of both timestamps.</param>
    public void Rewind(HttpRequest request, Action<long>? started = null, Action<long>? sent = null, TimeProvider? time = null)
    {
        request.Body = new ReplayStream(_buffer!, Length, started, sent, time ?? TimeProvider.System);
        request.ContentLength = Length;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null && _pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The buffered body, noting when the forwarder starts reading it and when it has read all of it (the request is sent).</summary>
    private sealed class ReplayStream(byte[] buffer, int length, Action<long>? started, Action<long>? sent, TimeProvider time)
        : MemoryStream(buffer, 0, length, writable: false)
    {
        private bool _started;
        private bool _reported;

        public override int Read(Span<byte> destination) => Report(base.Read(destination), destination.Length);

        public override int Read(byte[] buffer, int offset, int count) => Report(base.Read(buffer, offset, count), count);

        public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(destination.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        private int Report(int read, int requested)
        {
            if (!_started && requested > 0)
            {
                _started = true;
                started?.Invoke(time.GetTimestamp());
            }

            if (!_reported && requested > 0 && Position == Length)
            {
                _reported = true;
                sent?.Invoke(time.GetTimestamp());
            }

            return read;
        }
    }
}
