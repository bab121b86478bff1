using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace Glassbox.Gateway.Requests;

/// <summary>
/// The request body held in a pooled buffer so it can be parsed once and replayed on every attempt.
/// </summary>
internal sealed class BufferedRequestBody : IDisposable
{
    private byte[]? _buffer;

    private BufferedRequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

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

        var initial = (int)Math.Clamp(request.ContentLength ?? 16 * 1024, 256, limit + 1);
        var buffer = ArrayPool<byte>.Shared.Rent(initial);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
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
    public void Rewind(HttpRequest request)
    {
        request.Body = new MemoryStream(_buffer!, 0, Length, writable: false);
        request.ContentLength = Length;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
