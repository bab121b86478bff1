using System.Text;
using Glassbox.Gateway.UsageInjection;

namespace Glassbox.Gateway.Tests.UsageInjection;

/// <summary>The forwarder's reads of an injected stream: whole events as they complete, nothing the injection added.</summary>
public sealed class UsageHidingStreamTests
{
    private const string Chunk = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}],\"usage\":null}\n\n";
    private const string UsageChunk = "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\n";
    private const string Done = "data: [DONE]\n\n";

    [Fact]
    public async Task ReadAsync_UsageChunkInItsOwnRead_NextReadReturnsTheEventAfterIt()
    {
        using var stream = new UsageHidingStream(new ChunkedStream(Chunk, UsageChunk, Done));
        var buffer = new byte[4096];

        var first = await stream.ReadAsync(buffer);
        var firstText = Encoding.UTF8.GetString(buffer, 0, first);
        var second = await stream.ReadAsync(buffer);
        var secondText = Encoding.UTF8.GetString(buffer, 0, second);

        Assert.Equal(Chunk.Replace(",\"usage\":null", "", StringComparison.Ordinal), firstText);
        Assert.Equal(Done, secondText); // the usage chunk's read produced nothing, so the stream read on
        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    [Fact]
    public async Task ReadAsync_SmallBuffer_EventHandedOnInPieces()
    {
        using var stream = new UsageHidingStream(new ChunkedStream(Chunk, Done));
        var received = new MemoryStream();
        var buffer = new byte[7];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
            received.Write(buffer, 0, read);

        Assert.Equal(Chunk.Replace(",\"usage\":null", "", StringComparison.Ordinal) + Done, Encoding.UTF8.GetString(received.ToArray()));
    }

    [Fact]
    public async Task ReadAsync_UpstreamBreaks_ExceptionReachesTheForwarder()
    {
        using var stream = new UsageHidingStream(new ChunkedStream(Chunk) { ThenThrow = true });
        var buffer = new byte[4096];
        var first = await stream.ReadAsync(buffer);

        Assert.True(first > 0);
        await Assert.ThrowsAsync<IOException>(async () => _ = await stream.ReadAsync(buffer));
    }

    /// <summary>Returns one chunk per read, then the end (or an <see cref="IOException"/>).</summary>
    private sealed class ChunkedStream(params string[] chunks) : Stream
    {
        private int _next;

        public bool ThenThrow { get; init; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_next == chunks.Length)
                return ThenThrow ? ValueTask.FromException<int>(new IOException("upstream reset")) : ValueTask.FromResult(0);
            var bytes = Encoding.UTF8.GetBytes(chunks[_next++]);
            bytes.CopyTo(buffer);
            return ValueTask.FromResult(bytes.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
