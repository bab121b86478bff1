namespace Glassbox.Gateway.Telemetry.Prometheus;

/// <summary><c>Glassbox:Metrics</c>: the Prometheus scrape endpoint the gateway serves itself (checked by <see cref="MetricsEndpointOptionsValidator"/>).</summary>
public sealed class MetricsEndpointOptions
{
    public const string SectionName = "Glassbox:Metrics";

    /// <summary>Serve the scrape endpoint at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Path of the scrape endpoint; never forwarded to an upstream.</summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// A separate management port: the endpoint is then served only there (on the host of the gateway's
    /// first listen address), and the same path on the traffic ports answers 404. Empty: served on the traffic ports.
    /// </summary>
    public int? Port { get; set; }
}
