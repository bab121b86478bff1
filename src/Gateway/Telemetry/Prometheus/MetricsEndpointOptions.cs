using System.ComponentModel.DataAnnotations;

namespace Glassbox.Gateway.Telemetry.Prometheus;

/// <summary><c>Glassbox:Metrics</c>: the Prometheus scrape endpoint the gateway serves itself.</summary>
public sealed class MetricsEndpointOptions : IValidatableObject
{
    public const string SectionName = "Glassbox:Metrics";

    /// <summary>Serve the scrape endpoint at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Path of the scrape endpoint; never forwarded to an upstream.</summary>
    [Required]
    [RegularExpression("^/[A-Za-z0-9._~/-]*$", ErrorMessage = "Glassbox:Metrics:Path must be a path starting with '/' (letters, digits, '.', '_', '~', '-', '/').")]
    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// A separate management port: the endpoint is then served only there (on the host of the gateway's
    /// first listen address), and the same path on the traffic ports answers 404. Empty: served on the traffic ports.
    /// </summary>
    [Range(1, 65535, ErrorMessage = "Glassbox:Metrics:Port must be between 1 and 65535.")]
    public int? Port { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The AI routes and the probe keep their paths; a scrape path under /v1/ would shadow an upstream API.
        if (string.Equals(Path, Lifecycle.ProbeEndpoints.Liveness, StringComparison.OrdinalIgnoreCase) || string.Equals(Path, Lifecycle.ProbeEndpoints.Readiness, StringComparison.OrdinalIgnoreCase) || Path.StartsWith("/v1/", StringComparison.OrdinalIgnoreCase) || Path == "/")
        {
            yield return new ValidationResult($"Glassbox:Metrics:Path '{Path}' collides with a gateway route (/, /healthz, /readyz, /v1/...).", [nameof(Path)]);
        }
    }
}
