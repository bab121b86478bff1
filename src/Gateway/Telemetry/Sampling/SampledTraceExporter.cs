using System.Diagnostics;
using OpenTelemetry;

namespace Glassbox.Gateway.Telemetry.Sampling;

/// <summary>
/// An extra span exporter placed behind the sampling filter, next to the OTLP exporter: it sees
/// exactly the spans OTLP would export. Tests register their in-memory collector this way.
/// </summary>
internal sealed class SampledTraceExporter(BaseProcessor<Activity> processor)
{
    public BaseProcessor<Activity> Processor { get; } = processor;
}

internal static class SampledTraceExporterExtensions
{
    public static IServiceCollection AddSampledTraceExporter(this IServiceCollection services, BaseProcessor<Activity> processor) =>
        services.AddSingleton(new SampledTraceExporter(processor));
}
