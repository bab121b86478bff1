using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Streaming;

namespace Glassbox.SimulatedUpstream.Dialects;

/// <summary>One simulated endpoint: its whole JSON response and its event stream.</summary>
internal abstract class SimulatedApi
{
    public abstract Provider Provider { get; }

    /// <summary>False for endpoints that produce no content (count_tokens): no pacing, never streamed.</summary>
    public virtual bool Generates => true;

    /// <summary>The non-streaming response body.</summary>
    public abstract byte[] CompleteBody(CallContext call);

    /// <summary>Writes the whole event stream; stops when a delta write returns false.</summary>
    public abstract Task StreamAsync(SseChannel channel);

    /// <summary>The in-stream error this API sends for an <c>error-event</c> fault (the stream ends after it).</summary>
    public abstract Task WriteErrorEventAsync(SseChannel channel);
}
