using Glassbox.Gateway.Telemetry.Prometheus;
using Glassbox.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Glassbox.Gateway.Tests.Telemetry.Prometheus;

/// <summary>The one reader behind both the scrape endpoint and OTLP: scrapes neither add OTLP exports nor lose them.</summary>
public sealed class ScrapingOtlpMetricExporterTests
{
    [Fact]
    public async Task Scrape_WithinAnExportInterval_RendersWithoutPushing_AfterItPushesOnce_ShutdownPushesTheRest()
    {
        var pushes = 0;
        var receiverBuilder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/v1/metrics", () =>
        {
            Interlocked.Increment(ref pushes);
            return Microsoft.AspNetCore.Http.Results.Ok();
        });
        var receiverAddress = await LoopbackApp.StartAsync(receiver);

        var meterName = "Glassbox.Tests.SharedReader." + Guid.NewGuid().ToString("N");
        var time = new FakeTimeProvider();
        using var collector = new ScrapeCollector();
        var options = new OtlpExporterOptions { Protocol = OtlpExportProtocol.HttpProtobuf, Endpoint = new Uri(receiverAddress, "v1/metrics") };
        var interval = TimeSpan.FromMinutes(1);
#pragma warning disable CA2000 // Owned by the reader, which the provider owns.
        var reader = new PeriodicExportingMetricReader(new ScrapingOtlpMetricExporter(options, collector, interval, time), exportIntervalMilliseconds: int.MaxValue)
        {
            TemporalityPreference = MetricReaderTemporalityPreference.Cumulative,
        };
#pragma warning restore CA2000
        collector.Reader = reader;
        var provider = Sdk.CreateMeterProviderBuilder().AddMeter(meterName).AddReader(reader).Build();
        using var meter = new System.Diagnostics.Metrics.Meter(meterName);
        meter.CreateCounter<long>("test.calls").Add(1);

        for (var i = 0; i < 5; i++)
        {
            var scrape = await collector.ScrapeTextAsync(ExpositionFormat.PrometheusText);
            Assert.Contains("test_calls_total{otel_scope_name=", scrape, StringComparison.Ordinal);
        }

        Assert.Equal(0, Volatile.Read(ref pushes));

        time.Advance(interval);
        Assert.NotNull(await collector.ScrapeTextAsync(ExpositionFormat.OpenMetrics));
        Assert.Equal(1, Volatile.Read(ref pushes));

        provider.Dispose();
        Assert.Equal(2, Volatile.Read(ref pushes));
    }
}
