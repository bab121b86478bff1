using System.Diagnostics.Metrics;
using Glassbox.Gateway.Telemetry;
using Glassbox.Gateway.Telemetry.Cardinality;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Attribution;

/// <summary>
/// The attribution dimensions the token, cost and duration metrics carry (<c>Glassbox:Attribution:MetricDimensions</c>),
/// each capped at <c>MaxValuesPerDimension</c> distinct values: past it a value is recorded as <c>_other</c> and counted in
/// <c>glassbox.attribution.overflow</c>. Spans always carry the full values.
/// </summary>
internal sealed class AttributionDimensions
{
    private readonly (string Name, DimensionValueLimit Limit)[] _dimensions;

    public AttributionDimensions(IOptions<AttributionOptions> options, GatewayInstrumentation instrumentation)
    {
        var attribution = options.Value;
        Counter<long> overflow = instrumentation.Meter.CreateCounter<long>(TelemetryNames.Own.MetricAttributionOverflow, "{call}",
            "Calls whose attribution value was recorded as _other in the metrics because its dimension had reached its cap, by glassbox.metric.dimension.");
        var limits = new DimensionLimits(attribution.MaxValuesPerDimension, overflow);
        _dimensions = [.. attribution.EffectiveMetricDimensions.Distinct(StringComparer.Ordinal).Select(name => (name, limits.For(name)))];
    }

    /// <summary>The call's metric tags for the configured dimensions (absent values are left out); apply once per call.</summary>
    public KeyValuePair<string, object?>[] TagsOf(CallAttribution attribution)
    {
        if (_dimensions.Length == 0 || ReferenceEquals(attribution, CallAttribution.None))
        {
            return [];
        }

        var tags = new List<KeyValuePair<string, object?>>(_dimensions.Length);
        foreach (var (name, limit) in _dimensions)
        {
            if (limit.Apply(attribution.ValueOf(name)) is { } value)
            {
                tags.Add(new(name, value));
            }
        }

        return [.. tags];
    }
}
