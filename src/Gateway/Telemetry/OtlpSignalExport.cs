using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;

namespace Glassbox.Gateway.Telemetry;

/// <summary>
/// OTLP export per signal, configured like <c>UseOtlpExporter()</c> configures it: the signal-less
/// <c>OTEL_EXPORTER_OTLP_*</c> keys first, then <c>OTEL_EXPORTER_OTLP_{TRACES|METRICS|LOGS}_*</c> over them,
/// all read from <see cref="IConfiguration"/> (so appsettings and the command line work, not only the environment).
/// </summary>
/// <remarks>
/// The gateway cannot use <c>UseOtlpExporter()</c>: the trace exporter has to sit behind the tail-sampling
/// filter, and that API offers no way to wrap its processor (and refuses to be mixed with per-signal exporters).
/// </remarks>
internal static class OtlpSignalExport
{
    public const string Traces = "TRACES";
    public const string Metrics = "METRICS";
    public const string Logs = "LOGS";

    /// <summary>Overlays the signal's own keys on options built from the signal-less ones.</summary>
    public static void ApplySignalConfiguration(OtlpExporterOptions options, IConfiguration configuration, string signal)
    {
        var prefix = string.Concat("OTEL_EXPORTER_OTLP_", signal, "_");
        if (Value("ENDPOINT") is { } endpoint && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            // A signal endpoint is used as is: no /v1/{signal} is appended (OTLP exporter specification).
            options.Endpoint = uri;
        }

        switch (Value("PROTOCOL")?.ToUpperInvariant())
        {
            case "GRPC":
                options.Protocol = OtlpExportProtocol.Grpc;
                break;
            case "HTTP/PROTOBUF":
                options.Protocol = OtlpExportProtocol.HttpProtobuf;
                break;
        }

        if (Value("HEADERS") is { } headers)
        {
            options.Headers = headers;
        }

        if (int.TryParse(Value("TIMEOUT"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var timeout) && timeout > 0)
        {
            options.TimeoutMilliseconds = timeout;
        }

        string? Value(string key) => configuration[prefix + key] is { Length: > 0 } value ? value.Trim() : null;
    }

    /// <summary>The OTLP trace exporter in its export processor, as <c>AddOtlpExporter()</c> would build it.</summary>
    public static BaseProcessor<Activity> CreateTraceExportProcessor(IServiceProvider services, IConfiguration configuration)
    {
        var options = TraceExporterOptions(services, configuration);
#pragma warning disable CA2000 // Owned and disposed by the export processor.
        var exporter = new OtlpTraceExporter(options);
#pragma warning restore CA2000
        if (options.ExportProcessorType == ExportProcessorType.Simple)
        {
            return new SimpleActivityExportProcessor(exporter);
        }

        var batch = options.BatchExportProcessorOptions;
        return new BatchActivityExportProcessor(exporter, batch.MaxQueueSize, batch.ScheduledDelayMilliseconds, batch.ExporterTimeoutMilliseconds, batch.MaxExportBatchSize);
    }

    /// <summary>The trace exporter's options, as <c>AddOtlpExporter()</c> for traces would get them, plus the traces keys.</summary>
    public static OtlpExporterOptions TraceExporterOptions(IServiceProvider services, IConfiguration configuration) =>
        ExporterOptions(services, configuration, Traces);

    /// <summary>An exporter's options, as <c>AddOtlpExporter()</c> for the signal would get them, plus the signal's own keys.</summary>
    public static OtlpExporterOptions ExporterOptions(IServiceProvider services, IConfiguration configuration, string signal)
    {
        // The options factory the OTLP package registers (with the logs AddOtlpExporter call, made whenever OTLP is on)
        // reads the signal-less keys and OTEL_BSP_* from IConfiguration — the same instance AddOtlpExporter() would get.
        var options = services.GetRequiredService<IOptionsFactory<OtlpExporterOptions>>().Create(Options.DefaultName);
        ApplySignalConfiguration(options, configuration, signal);
        return options;
    }
}
