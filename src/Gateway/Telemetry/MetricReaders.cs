using Glassbox.Gateway.Telemetry.Prometheus;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Glassbox.Gateway.Telemetry;

/// <summary>
/// The metric readers: one per aggregation the outputs need. The scrape endpoint and OTLP share one cumulative reader
/// (every reader aggregates every measurement again); only an OTLP temporality other than cumulative, which a
/// Prometheus scrape cannot read, gets OTLP its own reader.
/// </summary>
internal static class MetricReaders
{
    // The SDK's defaults when neither variable is set (those of PeriodicExportingMetricReader's constructor).
    private const int DefaultExportIntervalMilliseconds = 60_000;
    private const int DefaultExportTimeoutMilliseconds = 30_000;

    public static void Add(MeterProviderBuilder metrics, IServiceCollection services, IConfiguration configuration, bool scrape, bool otlp)
    {
        if (scrape)
        {
            services.AddSingleton<ScrapeCollector>();
        }

        var sharedReader = scrape && otlp && !WantsNonCumulativeOtlp(configuration);
        if (sharedReader)
        {
            metrics.AddReader(services => SharedReader(services, configuration));
            return;
        }

        if (scrape)
        {
            metrics.AddReader(services =>
            {
                var collector = services.GetRequiredService<ScrapeCollector>();
#pragma warning disable CA2000 // Owned and disposed by the reader, which the meter provider owns.
                var reader = new BaseExportingMetricReader(new ScrapeOnlyMetricExporter(collector)) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };
#pragma warning restore CA2000
                collector.Reader = reader;
                return reader;
            });
        }

        if (otlp)
        {
            metrics.AddOtlpExporter(o => OtlpSignalExport.ApplySignalConfiguration(o, configuration, OtlpSignalExport.Metrics));
        }
    }

    private static PeriodicExportingMetricReader SharedReader(IServiceProvider services, IConfiguration configuration)
    {
        var collector = services.GetRequiredService<ScrapeCollector>();
        // The SDK's own reading of OTEL_METRIC_EXPORT_INTERVAL / _TIMEOUT, as AddOtlpExporter() would get it.
        var periodic = services.GetRequiredService<IOptionsMonitor<MetricReaderOptions>>().Get(Options.DefaultName).PeriodicExportingMetricReaderOptions;
        var interval = periodic.ExportIntervalMilliseconds ?? DefaultExportIntervalMilliseconds;
        var timeout = periodic.ExportTimeoutMilliseconds ?? DefaultExportTimeoutMilliseconds;
        var options = OtlpSignalExport.ExporterOptions(services, configuration, OtlpSignalExport.Metrics);
#pragma warning disable CA2000 // Owned and disposed by the reader, which the meter provider owns.
        var exporter = new ScrapingOtlpMetricExporter(options, collector, TimeSpan.FromMilliseconds(interval), services.GetRequiredService<TimeProvider>());
#pragma warning restore CA2000
        var reader = new PeriodicExportingMetricReader(exporter, interval, timeout) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };
        collector.Reader = reader;
        return reader;
    }

    /// <summary>
    /// OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE asks for delta or low-memory (delta for counters and
    /// histograms), read as the OTLP package reads it: a value it would ignore leaves OTLP cumulative.
    /// </summary>
    internal static bool WantsNonCumulativeOtlp(IConfiguration configuration) =>
        configuration["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"] is { } value
        && !string.IsNullOrWhiteSpace(value)
        && Enum.TryParse<MetricReaderTemporalityPreference>(value, ignoreCase: true, out var preference)
        && preference != MetricReaderTemporalityPreference.Cumulative;
}
