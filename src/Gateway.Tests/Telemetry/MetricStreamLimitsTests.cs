using System.Diagnostics.Metrics;
using Glassbox.Gateway.Telemetry;

namespace Glassbox.Gateway.Tests.Telemetry;

/// <summary>Which metric streams get a small series table: the framework's and the gateway's closed-set counters, never a model-bearing one.</summary>
public sealed class MetricStreamLimitsTests
{
    [Theory]
    [InlineData("Microsoft.AspNetCore.Hosting", "http.server.request.duration")]
    [InlineData("System.Net.Http", "http.client.request.duration")]
    [InlineData("System.Runtime", "dotnet.gc.collections")]
    [InlineData(TelemetryNames.MeterName, TelemetryNames.Own.MetricCircuitTransitions)]
    [InlineData(TelemetryNames.MeterName, TelemetryNames.Own.MetricAuthRejected)]
    [InlineData(TelemetryNames.MeterName, TelemetryNames.Own.MetricLogsDropped)]
    public void For_InstrumentWithFewSeries_LimitsItsTable(string meterName, string instrumentName)
    {
        using var meter = new Meter(meterName);

        var view = MetricStreamLimits.For(meter.CreateCounter<long>(instrumentName));

        Assert.Equal(MetricStreamLimits.FewSeries, view?.CardinalityLimit);
    }

    [Theory]
    [InlineData(TelemetryNames.GenAI.MetricOperationDuration)]
    [InlineData(TelemetryNames.GenAI.MetricTokenUsage)]
    [InlineData(TelemetryNames.Own.MetricCost)]
    [InlineData(TelemetryNames.Own.MetricTokens)]
    [InlineData(TelemetryNames.Own.MetricRetries)]
    public void For_ModelBearingGatewayInstrument_KeepsTheSdkDefault(string instrumentName)
    {
        using var meter = new Meter(TelemetryNames.MeterName);

        Assert.Null(MetricStreamLimits.For(meter.CreateHistogram<double>(instrumentName)));
    }
}
