namespace Glassbox.Gateway.Telemetry.Sampling;

/// <summary>
/// The <c>Glassbox:Sampling</c> section: which calls are exported even when the head sampler
/// (<c>OTEL_TRACES_SAMPLER</c>) dropped their trace. Checked by <see cref="SamplingOptionsValidator"/>.
/// </summary>
internal sealed class SamplingOptions
{
    public const string SectionName = "Glassbox:Sampling";

    /// <summary>Record every span and keep the interesting traces; false: plain head sampling.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Keep traces whose call ended in an error.</summary>
    public bool KeepErrors { get; set; } = true;

    /// <summary>Keep traces whose call was retried.</summary>
    public bool KeepRetried { get; set; } = true;

    /// <summary>Keep traces whose call lasted longer than this; <c>00:00:00</c> turns the rule off.</summary>
    public TimeSpan KeepSlowerThan { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Traces held while their decision is open; past it the oldest is given up.</summary>
    public int MaxPendingTraces { get; set; } = 10_000;

    /// <summary>Spans held per pending trace; later ones are dropped.</summary>
    public int MaxSpansPerTrace { get; set; } = 512;
}
