using Glassbox.SimulatedUpstream.Streaming;

namespace Glassbox.SimulatedUpstream.Dialects;

/// <summary>An endpoint that generates no content (token counts, embeddings): never paced, never streamed.</summary>
internal abstract class UnpacedApi : SimulatedApi
{
    public sealed override bool Generates => false;

    public sealed override Task StreamAsync(SseChannel channel) => throw new NotSupportedException();

    public sealed override Task WriteErrorEventAsync(SseChannel channel) => throw new NotSupportedException();
}
