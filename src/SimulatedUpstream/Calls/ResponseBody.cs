using System.IO.Compression;

namespace Glassbox.SimulatedUpstream.Calls;

/// <summary>The stream the body is written to: the response itself, or a compressor over it.</summary>
internal static class ResponseBody
{
    public static Stream Open(HttpResponse response, string? compression)
    {
        if (compression is null)
            return new NonClosingStream(response.Body);
        response.Headers.ContentEncoding = compression;
        return compression == "br"
            ? new BrotliStream(response.Body, CompressionLevel.Fastest, leaveOpen: true)
            : new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
    }

    /// <summary>Lets callers dispose what <see cref="Open"/> returned without closing the response body.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);
    }
}
