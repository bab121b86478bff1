using Glassbox.SimulatedUpstream.Control;

namespace Glassbox.SimulatedUpstream.Dialects;

/// <summary>What is common to one provider's APIs: response headers and the error body.</summary>
internal abstract class Provider
{
    /// <summary>The <c>content-type</c> of its event streams.</summary>
    public abstract string StreamContentType { get; }

    /// <summary>Request id and rate-limit headers; <paramref name="status"/> 429 reports an exhausted limit.</summary>
    public abstract void WriteHeaders(HttpResponse response, CallIds ids, int status, DateTimeOffset now, int processingMs);

    /// <summary>The <c>content-type</c> of its JSON bodies.</summary>
    public virtual string JsonContentType => "application/json";

    /// <summary>The status of a request that carries no key.</summary>
    public virtual int MissingKeyStatus => 401;

    /// <summary>Whether the request carries a key where this provider's clients put it (any value).</summary>
    public virtual bool HasKey(HttpRequest request) =>
        request.Headers.ContainsKey("x-api-key") || request.Headers.ContainsKey("Authorization");

    /// <summary>The provider's error body for an HTTP status; <paramref name="plan"/> is null when the request could not be read.</summary>
    public abstract byte[] ErrorBody(int status, string? message, CallIds ids, SimulationPlan? plan);
}
