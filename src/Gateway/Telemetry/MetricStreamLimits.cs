using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Glassbox.Gateway.Telemetry;

/// <summary>
/// How many series each metric stream may hold. The SDK allocates a stream's series table up front, per reader:
/// 2,000 points by default, about 160 KB on the large object heap, whether one series is used or all. With the
/// scrape endpoint and OTLP both on, the framework's ~40 instruments alone held about 12 MB that way.
/// </summary>
internal static class MetricStreamLimits
{
    /// <summary>For instruments whose dimensions are closed sets or configured names (ASP.NET Core, HttpClient, Kestrel, the runtime, and the gateway's own counters below).</summary>
    public const int FewSeries = 256;

    private static readonly MetricStreamConfiguration Few = new() { CardinalityLimit = FewSeries };

    /// <summary>The gateway's instruments without a model or attribution dimension; the rest keep the SDK's default, sized for those capped dimensions.</summary>
    private static readonly FrozenSet<string> OwnWithFewSeries = new[]
    {
        TelemetryNames.Own.MetricAuthRejected,
        TelemetryNames.Own.MetricDimensionOverflow,
        TelemetryNames.Own.MetricAttributionOverflow,
        TelemetryNames.Own.MetricObserverFailures,
        TelemetryNames.Own.MetricCircuitTransitions,
        TelemetryNames.Own.MetricSamplingKept,
        TelemetryNames.Own.MetricSamplingDropped,
        TelemetryNames.Own.MetricPriceFileErrors,
        TelemetryNames.Own.MetricUsageInjectionDisabled,
        TelemetryNames.Own.MetricLogsDropped,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The view for <paramref name="instrument"/>: null keeps the SDK's default (and the instrument's own bucket advice either way).</summary>
    public static MetricStreamConfiguration? For(Instrument instrument) =>
        instrument.Meter.Name != TelemetryNames.MeterName || OwnWithFewSeries.Contains(instrument.Name) ? Few : null;
}
