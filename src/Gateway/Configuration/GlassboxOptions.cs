using System.ComponentModel.DataAnnotations;

namespace Glassbox.Gateway.Configuration;

/// <summary>Root of the <c>Glassbox</c> configuration section.</summary>
public sealed class GlassboxOptions
{
    public const string SectionName = "Glassbox";

    /// <summary>Named upstreams; <c>Anthropic</c> and <c>OpenAI</c> exist by default.</summary>
    public Dictionary<string, UpstreamOptions> Upstreams { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Inbound gateway keys (<c>Glassbox:Auth</c>).</summary>
    public Auth.AuthOptions Auth { get; } = new();

    /// <summary>Upstream that receives every path no AI route claims.</summary>
    [Required]
    public string DefaultUpstream { get; set; } = "Anthropic";

    /// <summary>Largest request body accepted on an AI route, in bytes (larger: 413 in the caller's dialect).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Largest JSON document parsed for telemetry (a non-streaming body, or one SSE event); bytes past it still flow.</summary>
    [Range(StreamObservation.ObservationLimits.MinDocumentBytes, 256 * 1024 * 1024)]
    public int MaxObservedBodyBytes { get; set; } = StreamObservation.ObservationLimits.DefaultMaxDocumentBytes;

    /// <summary>Record prompts and completions (also switched on by <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true</c>).</summary>
    public bool CaptureMessageContent { get; set; }

    /// <summary>Largest captured content attribute, in characters.</summary>
    [Range(0, 1024 * 1024)]
    public int MaxCapturedContentChars { get; set; } = 16 * 1024;

    /// <summary>Emit the OpenTelemetry GenAI semantic-convention attributes.</summary>
    public bool EmitSemanticConventions { get; set; } = true;

    /// <summary>Emit the <c>ai.*</c> attribute names.</summary>
    public bool EmitAiAttributes { get; set; } = true;

    /// <summary>Forward AI requests whose body is not JSON instead of answering 400.</summary>
    public bool ForwardInvalidJson { get; set; }
}
