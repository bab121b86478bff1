using OpenTelemetry.Trace;

namespace Glassbox.Gateway.Telemetry.Sampling;

/// <summary>
/// Wraps the head sampler: what it samples stays sampled; what it drops is recorded anyway
/// (<see cref="SamplingDecision.RecordOnly"/>: attributes are set, the span reaches processors,
/// but it is not marked sampled and propagates as unsampled), so <see cref="TailSamplingProcessor"/>
/// can still export it if the call turns out to be worth keeping.
/// </summary>
internal sealed class RecordOnlyOnDropSampler : Sampler
{
    private static readonly SamplingResult RecordOnly = new(SamplingDecision.RecordOnly);
    private readonly Sampler _head;

    public RecordOnlyOnDropSampler(Sampler head)
    {
        _head = head;
        Description = $"RecordOnlyOnDrop{{{head.Description}}}";
    }

    public Sampler Head => _head;

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var result = _head.ShouldSample(samplingParameters);
        if (result.Decision != SamplingDecision.Drop)
        {
            return result;
        }

        return result.TraceStateString is null && !result.Attributes.Any()
            ? RecordOnly
            : new SamplingResult(SamplingDecision.RecordOnly, result.Attributes, result.TraceStateString);
    }
}
