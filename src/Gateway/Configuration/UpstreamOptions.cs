using Glassbox.Gateway.Resilience;

namespace Glassbox.Gateway.Configuration;

/// <summary>One named upstream: where to send calls and how to describe them in telemetry.</summary>
public sealed class UpstreamOptions
{
    /// <summary>Scheme, host and optional port (and base path) of the provider, e.g. <c>https://ezaiapi.com</c>.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Value of <c>gen_ai.provider.name</c> / <c>ai.provider</c>, e.g. <c>anthropic</c>.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The API this upstream speaks; its AI routes follow from it.</summary>
    public ApiFamily Api { get; set; }

    /// <summary>
    /// Path prefix under which the gateway exposes this upstream (stripped before forwarding),
    /// e.g. <c>/groq</c> makes <c>/groq/v1/chat/completions</c> reach <c>{BaseUrl}/v1/chat/completions</c>.
    /// Empty for the built-in upstreams.
    /// </summary>
    public string PathPrefix { get; set; } = "";

    /// <summary>
    /// Key sent to the upstream when the client sent none (<c>x-api-key</c> for Anthropic,
    /// <c>Authorization: Bearer</c> for OpenAI). Never emitted in telemetry.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Path of a certificate (PEM or DER) to trust as this upstream's root, e.g. a private CA or a
    /// self-signed host; the system's trust store still applies to every other upstream.
    /// </summary>
    public string? TrustedCertificatePath { get; set; }

    /// <summary>
    /// Streaming Chat Completions requests that do not ask for usage get <c>stream_options.include_usage</c> added,
    /// and the injected usage is taken out of the client's stream again. Null: on for the <c>OpenAI</c> family.
    /// </summary>
    public bool? InjectStreamUsage { get; set; }

    public RetryOptions Retry { get; } = new();

    public TimeoutOptions Timeouts { get; } = new();

    public CircuitBreakerOptions CircuitBreaker { get; } = new();
}
