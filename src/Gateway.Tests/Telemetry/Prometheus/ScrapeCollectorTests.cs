using System.Diagnostics.Metrics;
using System.Text;
using Glassbox.Gateway.Telemetry.Prometheus;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Glassbox.Gateway.Tests.Telemetry.Prometheus;

public sealed class ScrapeCollectorTests
{
    /// <summary>
    /// A scrape response is tens to hundreds of KB: rendered into fresh buffers each time it is large-object garbage,
    /// which only a full collection frees (with a scrape every 10 s, the soak's RSS moved 11 % in 3 minutes).
    /// </summary>
    [Fact]
    public async Task Scrape_Repeated_RendersIntoReusedBuffers()
    {
        var meterName = "Glassbox.Tests.ScrapeBuffers." + Guid.NewGuid().ToString("N");
        using var collector = new ScrapeCollector();
#pragma warning disable CA2000 // Owned by the reader, which the provider owns.
        var reader = new BaseExportingMetricReader(new ScrapeOnlyMetricExporter(collector)) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };
#pragma warning restore CA2000
        collector.Reader = reader;
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter(meterName).AddReader(reader).Build();
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("test.calls");
        for (var i = 0; i < 400; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("model", $"model-{i}-" + new string('m', 500)));
        }

        var length = 0;
        Task Measure(ReadOnlyMemory<byte> body)
        {
            length = body.Length;
            return Task.CompletedTask;
        }

        // Everything below runs on this thread (nothing waits): this thread's allocations are the scrapes'.
        Assert.True(await collector.ScrapeAsync(ExpositionFormat.PrometheusText, Measure, CancellationToken.None));
        Assert.True(await collector.ScrapeAsync(ExpositionFormat.PrometheusText, Measure, CancellationToken.None));
        var before = GC.GetAllocatedBytesForCurrentThread();
        const int Scrapes = 10;
        for (var i = 0; i < Scrapes; i++)
        {
            Assert.True(await collector.ScrapeAsync(ExpositionFormat.PrometheusText, Measure, CancellationToken.None));
        }

        var perScrape = (GC.GetAllocatedBytesForCurrentThread() - before) / Scrapes;
        Assert.True(length > 200_000, $"response of {length} B");
        Assert.True(perScrape < length / 2, $"{perScrape} B allocated per scrape of a {length} B response");
    }
}
