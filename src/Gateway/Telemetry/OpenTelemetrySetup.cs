using System.Diagnostics;
using Glassbox.Gateway.Telemetry.Prometheus;
using Glassbox.Gateway.Telemetry.Sampling;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Glassbox.Gateway.Telemetry;

/// <summary>
/// Traces, metrics and logs through the OpenTelemetry SDK. The standard <c>OTEL_*</c> variables
/// configure everything; OTLP export is on whenever an OTLP endpoint is configured. Traces the head
/// sampler drops are still exported when a call in them was interesting (see <see cref="TailSamplingProcessor"/>).
/// </summary>
internal static class OpenTelemetrySetup
{
    public const string DefaultServiceName = "glassbox-gateway";

    public static void AddGlassboxOpenTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var otlp = OtlpEndpointConfigured(configuration);
        // Trace context only: OpenTelemetry's default also re-serialises the caller's baggage into the upstream
        // request (dropping properties and malformed members); the gateway forwards baggage as it arrived instead.
        OpenTelemetry.Sdk.SetDefaultTextMapPropagator(new OpenTelemetry.Context.Propagation.TraceContextPropagator());
        builder.Services.AddOptions<SamplingOptions>()
            .BindConfiguration(SamplingOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SamplingOptions>, SamplingOptionsValidator>();
        builder.Services.AddOptions<MetricsEndpointOptions>()
            .BindConfiguration(MetricsEndpointOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MetricsEndpointOptions>, MetricsEndpointOptionsValidator>();
        var scrape = configuration.GetSection(MetricsEndpointOptions.SectionName).Get<MetricsEndpointOptions>() ?? new MetricsEndpointOptions();
        // A malformed path is reported by the options validation at start; until then it just isn't filtered.
        PathString[] probes = [Lifecycle.ProbeEndpoints.Liveness, Lifecycle.ProbeEndpoints.Readiness];
        PathString[] quietPaths = scrape.Path.StartsWith('/') ? [.. probes, scrape.Path] : probes;

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrEmpty(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(DefaultServiceName);
                }
            })
            .WithTracing(tracing => tracing
                // YARP's own "proxy.forwarder" span would sit between the server span and the call span
                // without adding anything the call and attempt spans do not already say.
                .AddSource(TelemetryNames.ActivitySourceName)
                // No HttpClient span either: it mirrored each upstream attempt one for one; the attempt span carries its
                // attributes (method, url.full, server, protocol version, status, error.type) and is what the upstream sees as
                // its parent in traceparent (written by Forwarding.TraceContextHandler; the runtime's propagation is off).
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context => !Array.Exists(quietPaths, p => context.Request.Path.StartsWithSegments(p))))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(TelemetryNames.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    // .NET 9+ publishes its runtime metrics (GC, heap, thread pool, JIT) on this meter itself.
                    .AddMeter("System.Runtime")
                    .AddView(MetricStreamLimits.For)
                    // A measurement taken inside a sampled span keeps its trace id: latency panels link to the trace.
                    .SetExemplarFilter(ExemplarFilterType.TraceBased);
                MetricReaders.Add(metrics, builder.Services, configuration, scrape: scrape.Enabled, otlp: otlp);
            })
            .WithLogging(
                logging =>
                {
                    if (otlp)
                    {
                        logging.AddOtlpExporter(o => OtlpSignalExport.ApplySignalConfiguration(o, configuration, OtlpSignalExport.Logs));
                    }
                },
                static options => options.IncludeFormattedMessage = true);

        // Deferred: the exporters (OTLP, and any a test registered) are known only once services are built.
        builder.Services.ConfigureOpenTelemetryTracerProvider((services, tracing) =>
        {
            // First processor: a span's query-string key is gone before sampling or any exporter sees the span.
            tracing.AddProcessor(new Redaction.QueryKeyRedactingProcessor());
            var exporters = new List<BaseProcessor<Activity>>();
            if (otlp)
            {
                exporters.Add(OtlpSignalExport.CreateTraceExportProcessor(services, configuration));
            }

            exporters.AddRange(services.GetServices<SampledTraceExporter>().Select(e => e.Processor));

            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TailSamplingProcessor).Namespace!);
            var head = HeadSampler.Create(configuration, logger);
            var sampling = services.GetRequiredService<IOptions<SamplingOptions>>().Value;
            if (exporters.Count == 0)
            {
                // Nothing would ever read the spans: don't pay for building them. Metrics and logs still flow.
                tracing.SetSampler(new AlwaysOffSampler());
                return;
            }

            if (!sampling.Enabled || HeadSampler.SamplesEverything(head))
            {
                tracing.SetSampler(head);
                foreach (var exporter in exporters)
                {
                    tracing.AddProcessor(exporter);
                }

                return;
            }

            tracing.SetSampler(new RecordOnlyOnDropSampler(head));
#pragma warning disable CA2000 // Owned and disposed by the tracer provider.
            tracing.AddProcessor(new TailSamplingProcessor(exporters, sampling, services.GetRequiredService<GatewayInstrumentation>()));
#pragma warning restore CA2000
        });
    }

    public static bool OtlpEndpointConfigured(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
        || !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);
}
