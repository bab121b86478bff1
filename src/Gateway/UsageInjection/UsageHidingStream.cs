using System.Buffers;
using System.Runtime.CompilerServices;

namespace Glassbox.Gateway.UsageInjection;

/// <summary>
/// The client's side of an injected Chat stream: reads the tee (which shows the upstream's bytes, usage included, to the
/// observer) and hands the forwarder what <see cref="InjectedUsageFilter"/> leaves, so the client never sees the usage
/// the gateway asked for. An event is handed on in the read that completes it; a read returns only when it has bytes
/// for the client or the stream has ended.
/// </summary>
internal sealed class UsageHidingStream(Stream inner) : Stream
{
    private const int ReadSize = 16 * 1024;
    private readonly InjectedUsageFilter _filter = new();
    private readonly ArrayBufferWriter<byte> _ready = new(ReadSize);
    private int _readyOffset;
    private bool _ended;
    private byte[]? _scratch;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (_ready.WrittenCount == _readyOffset && !_ended)
        {
            _ready.ResetWrittenCount();
            _readyOffset = 0;
            _scratch ??= ArrayPool<byte>.Shared.Rent(ReadSize);
            var read = await inner.ReadAsync(_scratch, cancellationToken);
            if (read == 0)
            {
                _ended = true;
                _filter.Complete(_ready);
            }
            else
            {
                _filter.Write(_scratch.AsSpan(0, read), _ready);
            }
        }

        var available = _ready.WrittenSpan[_readyOffset..];
        var count = Math.Min(available.Length, buffer.Length);
        available[..count].CopyTo(buffer.Span);
        _readyOffset += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            if (_scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(_scratch);
                _scratch = null;
            }
        }

        base.Dispose(disposing);
    }
}
