namespace Glassbox.Gateway.Configuration;

/// <summary>Root of the <c>Glassbox</c> configuration section (validated by <see cref="GlassboxOptionsValidator"/>).</summary>
public sealed class GlassboxOptions
{
    public const string SectionName = "Glassbox";

    /// <summary>Smallest accepted <see cref="MaxRequestBodyBytes"/>.</summary>
    public const long MinRequestBodyBytes = 1024;

    /// <summary>Largest accepted <see cref="MaxObservedBodyBytes"/>.</summary>
    public const int MaxObservedBodyBytesLimit = 256 * 1024 * 1024;

    /// <summary>Largest accepted <see cref="MaxCapturedContentChars"/>.</summary>
    public const int MaxCapturedContentCharsLimit = 1024 * 1024;

    /// <summary>Named upstreams; <c>Anthropic</c> and <c>OpenAI</c> exist by default.</summary>
    public Dictionary<string, UpstreamOptions> Upstreams { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Inbound gateway keys (<c>Glassbox:Auth</c>).</summary>
    public Auth.AuthOptions Auth { get; } = new();

    /// <summary>Upstream that receives every path no AI route claims.</summary>
    public string DefaultUpstream { get; set; } = "Anthropic";

    /// <summary>Largest request body accepted on an AI route, in bytes (larger: 413 in the caller's dialect).</summary>
    public long MaxRequestBodyBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Largest JSON document parsed for telemetry (a non-streaming body, or one SSE event); bytes past it still flow.</summary>
    public int MaxObservedBodyBytes { get; set; } = StreamObservation.ObservationLimits.DefaultMaxDocumentBytes;

    /// <summary>Record prompts and completions (also switched on by <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true</c>).</summary>
    public bool CaptureMessageContent { get; set; }

    /// <summary>Largest captured content attribute, in characters.</summary>
    public int MaxCapturedContentChars { get; set; } = 16 * 1024;

    /// <summary>Emit the OpenTelemetry GenAI semantic-convention attributes.</summary>
    public bool EmitSemanticConventions { get; set; } = true;

    /// <summary>Emit the <c>ai.*</c> attribute names.</summary>
    public bool EmitAiAttributes { get; set; } = true;

    /// <summary>Forward AI requests whose body is not JSON instead of answering 400.</summary>
    public bool ForwardInvalidJson { get; set; }
}
