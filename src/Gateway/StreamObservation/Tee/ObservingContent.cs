using System.Net;

namespace Glassbox.Gateway.StreamObservation.Tee;

/// <summary>Wraps the upstream's content so the forwarder reads it through an <see cref="ObservingStream"/> (and whatever wraps that).</summary>
internal sealed class ObservingContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly Func<Stream, Stream> _wrap;
    private Stream? _stream;

    public ObservingContent(HttpContent inner, Func<Stream, Stream> wrap)
    {
        _inner = inner;
        _wrap = wrap;
        // YARP copies Content.Headers to the client: without these Content-Type would be lost.
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        _stream ??= _wrap(await _inner.ReadAsStreamAsync(cancellationToken));

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var source = await CreateContentReadStreamAsync(cancellationToken);
        await source.CopyToAsync(stream, cancellationToken);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stream?.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
