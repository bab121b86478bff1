namespace Glassbox.SimulatedUpstream;

/// <summary>
/// Instance defaults, bound from the <c>Simulator</c> configuration section
/// (e.g. environment <c>Simulator__TimeToFirstTokenMs=500</c>). Every value can be overridden per request
/// by the matching <c>x-sim-*</c> header (see README.md).
/// </summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    public int HeadersDelayMs { get; set; }
    public int TimeToFirstTokenMs { get; set; }
    public int DeltaGapMs { get; set; }
    public int Deltas { get; set; } = 5;
    public int InputTokens { get; set; } = 25;

    /// <summary>Null means "as many as content deltas".</summary>
    public int? OutputTokens { get; set; }
    public int CacheReadTokens { get; set; }
    public int CacheCreationTokens { get; set; }
    public int ReasoningTokens { get; set; }

    /// <summary><c>text</c>, <c>tool</c> or <c>thinking</c>.</summary>
    public string Content { get; set; } = "text";
    public int? StallAfter { get; set; }
    public int StallMs { get; set; }

    /// <summary><c>none</c>, <c>status</c>, <c>error-event</c>, <c>reset</c> or <c>stall</c>.</summary>
    public string Fault { get; set; } = "none";
    public int Status { get; set; } = 500;
    public int FaultAfter { get; set; }

    /// <summary><c>gzip</c> or <c>br</c>; applied only when the client's Accept-Encoding allows it.</summary>
    public string? Compress { get; set; }

    /// <summary>Serve <c>https://</c> URLs with a self-signed certificate generated at start.</summary>
    public bool SelfSignedHttps { get; set; }
    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }
}
