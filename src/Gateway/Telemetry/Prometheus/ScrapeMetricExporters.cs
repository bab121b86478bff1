using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Glassbox.Gateway.Telemetry.Prometheus;

/// <summary>The exporter of the reader behind the scrape endpoint when nothing is pushed: it only renders scrapes.</summary>
internal sealed class ScrapeOnlyMetricExporter(ScrapeCollector collector) : BaseExporter<Metric>
{
    public override ExportResult Export(in Batch<Metric> batch)
    {
        collector.Render(batch, ParentProvider);
        return ExportResult.Success;
    }
}

/// <summary>
/// The OTLP metric exporter of the one periodic reader, which also renders scrapes. A collection a scrape started is
/// pushed only when an export interval has passed since the last push, so scrapes neither add OTLP exports nor
/// (by running the collection a tick would have joined) hold them back.
/// </summary>
internal sealed class ScrapingOtlpMetricExporter(OtlpExporterOptions options, ScrapeCollector collector, TimeSpan exportInterval, TimeProvider time)
    : OtlpMetricExporter(options)
{
    private long _lastPush = time.GetTimestamp();

    public override ExportResult Export(in Batch<Metric> metrics)
    {
        collector.Render(metrics, ParentProvider);
        if (ScrapeCollector.CollectingForScrape && time.GetElapsedTime(Interlocked.Read(ref _lastPush)) < exportInterval)
        {
            return ExportResult.Success;
        }

        Interlocked.Exchange(ref _lastPush, time.GetTimestamp());
        return base.Export(metrics);
    }
}
