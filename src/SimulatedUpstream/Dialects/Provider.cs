using Glassbox.SimulatedUpstream.Control;

namespace Glassbox.SimulatedUpstream.Dialects;

/// <summary>What is common to one provider's APIs: response headers and the error body.</summary>
internal abstract class Provider
{
    /// <summary>The <c>content-type</c> of its event streams.</summary>
    public abstract string StreamContentType { get; }

    /// <summary>Request id and rate-limit headers; <paramref name="status"/> 429 reports an exhausted limit.</summary>
    public abstract void WriteHeaders(HttpResponse response, CallIds ids, int status, DateTimeOffset now, int processingMs);

    /// <summary>The provider's error body for an HTTP status.</summary>
    public abstract byte[] ErrorBody(int status, string? message, CallIds ids);
}
