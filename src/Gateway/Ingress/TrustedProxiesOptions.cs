namespace Glassbox.Gateway.Ingress;

/// <summary><c>Glassbox:ForwardedHeaders</c>: whose <c>X-Forwarded-For</c> / <c>Forwarded</c> headers are believed.</summary>
public sealed class TrustedProxiesOptions
{
    public const string SectionName = "Glassbox:ForwardedHeaders";

    /// <summary>Loopback only: a proxy on the same host (or in the same pod).</summary>
    public static readonly string[] DefaultKnownNetworks = ["127.0.0.0/8", "::1/128"];

    /// <summary>
    /// CIDR ranges of the proxies (ingress controllers, load balancers) in front of the gateway; an entry may
    /// hold several, comma-separated. Unset: <see cref="DefaultKnownNetworks"/>.
    /// </summary>
    public string[]? KnownNetworks { get; set; }
}
