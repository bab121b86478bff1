using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Streaming;

namespace Glassbox.SimulatedUpstream.Dialects;

/// <summary>One simulated endpoint: its whole JSON response and its event stream.</summary>
internal abstract class SimulatedApi
{
    public abstract Provider Provider { get; }

    /// <summary>False for endpoints that produce no content (count_tokens): no pacing, never streamed.</summary>
    public virtual bool Generates => true;

    /// <summary>What the path says about the request, over its body (Gemini names the model and streaming in the path).</summary>
    public virtual SimRequest Interpret(HttpRequest http, SimRequest body) => body;

    /// <summary>The <c>content-type</c> of this endpoint's streams.</summary>
    public virtual string StreamContentType(HttpRequest http) => Provider.StreamContentType;

    /// <summary>How this endpoint's stream frames its events.</summary>
    public virtual EventFraming Framing(HttpRequest http) => EventFraming.SseLf;

    /// <summary>The non-streaming response body.</summary>
    public abstract byte[] CompleteBody(CallContext call);

    /// <summary>Writes the whole event stream; stops when a delta write returns false.</summary>
    public abstract Task StreamAsync(SseChannel channel);

    /// <summary>The in-stream error this API sends for an <c>error-event</c> fault (the stream ends after it).</summary>
    public abstract Task WriteErrorEventAsync(SseChannel channel);
}
