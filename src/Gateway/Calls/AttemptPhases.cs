namespace Glassbox.Gateway.Calls;

/// <summary>
/// Timestamps of one upstream attempt's phases, written where each phase happens (the connect
/// callback, the TLS filter, the request body, the response transform) and drawn as spans after.
/// </summary>
internal sealed class AttemptPhases(long started)
{
    public static readonly HttpRequestOptionsKey<AttemptPhases> Key = new("glassbox.phases");

    /// <summary>When the attempt handed the request to the forwarder.</summary>
    public long Started { get; } = started;

    public long? DnsStarted { get; set; }
    public long? DnsEnded { get; set; }
    public long? ConnectStarted { get; set; }
    public long? ConnectEnded { get; set; }

    /// <summary>When the connection was ready for HTTP (after TLS on https).</summary>
    public long? ConnectionReady { get; set; }

    public bool Tls { get; set; }

    /// <summary>When the forwarder first read the request body: the request (headers at least) is on its way, the upstream may have it.</summary>
    public long? RequestStarted { get; set; }

    /// <summary>When the last byte of the request body was handed to the connection.</summary>
    public long? RequestSent { get; set; }

    public long? HeadersReceived { get; set; }

    /// <summary>The request as the HttpClient sent it (method, absolute URI), recorded by its handler.</summary>
    public HttpRequestMessage? SentRequest { get; set; }

    /// <summary>HTTP version of the upstream's response.</summary>
    public Version? ResponseVersion { get; set; }

    /// <summary>No connection was opened for this attempt: it went out on a pooled one.</summary>
    public bool ReusedConnection => ConnectStarted is null;
}
