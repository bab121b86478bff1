using Glassbox.Gateway.Telemetry;

namespace Glassbox.Gateway.Tests.Telemetry;

public sealed class MetricReadersTests
{
    /// <summary>Only a temporality the OTLP exporter would actually use gives OTLP a second aggregation.</summary>
    [Theory]
    [InlineData("delta", true)]
    [InlineData("LowMemory", true)]
    [InlineData("cumulative", false)]
    [InlineData("Cumulative", false)]
    [InlineData("banana", false)]
    [InlineData("  ", false)]
    [InlineData(null, false)]
    public void WantsNonCumulativeOtlp_TemporalityPreference_AsTheOtlpExporterReadsIt(string? preference, bool expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"] = preference })
            .Build();

        Assert.Equal(expected, MetricReaders.WantsNonCumulativeOtlp(configuration));
    }
}
