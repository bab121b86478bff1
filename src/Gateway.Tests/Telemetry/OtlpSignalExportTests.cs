using Glassbox.Gateway.Telemetry;
using OpenTelemetry.Exporter;

namespace Glassbox.Gateway.Tests.Telemetry;

/// <summary>The trace exporter the gateway builds itself reads the same settings, from the same places, as the stock one.</summary>
public sealed class OtlpSignalExportTests
{
    [Fact]
    public async Task TraceExporterOptions_SignalLessSettingsInConfiguration_AreHonoured()
    {
        await using var app = Build(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector.example:4318",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "api-key=abc",
            ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "1234",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "250",
        });

        var options = OtlpSignalExport.TraceExporterOptions(app.Services, app.Configuration);

        Assert.Equal(new Uri("http://collector.example:4318"), options.Endpoint);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, options.Protocol);
        Assert.Equal("api-key=abc", options.Headers);
        Assert.Equal(1234, options.TimeoutMilliseconds);
        Assert.Equal(250, options.BatchExportProcessorOptions.ScheduledDelayMilliseconds);
    }

    [Fact]
    public async Task TraceExporterOptions_TracesSettings_WinOverSignalLessOnes()
    {
        await using var app = Build(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector.example:4317",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "api-key=abc",
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://traces.example:4318/v1/traces",
            ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_TRACES_HEADERS"] = "api-key=traces",
            ["OTEL_EXPORTER_OTLP_TRACES_TIMEOUT"] = "4321",
        });

        var options = OtlpSignalExport.TraceExporterOptions(app.Services, app.Configuration);

        Assert.Equal(new Uri("http://traces.example:4318/v1/traces"), options.Endpoint);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, options.Protocol);
        Assert.Equal("api-key=traces", options.Headers);
        Assert.Equal(4321, options.TimeoutMilliseconds);
    }

    private static WebApplication Build(Dictionary<string, string?> settings) =>
        GatewayApp.Build(["--urls", "http://127.0.0.1:0"], settings: settings);
}
