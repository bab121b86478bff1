namespace Glassbox.Gateway.StreamObservation;

/// <summary>
/// Reads a response body on the side, chunk by chunk, as it is forwarded.
/// Implementations never throw: a problem is recorded in <see cref="ResponseFacts"/>.
/// </summary>
internal interface IResponseObserver
{
    /// <summary>Bytes just read from the upstream (already decompressed); <paramref name="timestamp"/> is when they arrived.</summary>
    void OnBytes(ReadOnlySpan<byte> chunk, long timestamp);

    /// <summary>The upstream body ended cleanly (EOF). Not called when the stream broke.</summary>
    void OnEnd(long timestamp);
}
