using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Glassbox.Gateway.Telemetry;

/// <summary>
/// Traces, metrics and logs through the OpenTelemetry SDK. The standard <c>OTEL_*</c> variables
/// configure everything; OTLP export is on whenever an OTLP endpoint is configured.
/// </summary>
internal static class OpenTelemetrySetup
{
    public const string DefaultServiceName = "glassbox-gateway";

    public static void AddGlassboxOpenTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var otel = builder.Services.AddOpenTelemetry()
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
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context => !context.Request.Path.StartsWithSegments("/healthz"))
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(TelemetryNames.MeterName, "Polly")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithLogging(static _ => { }, static logging => logging.IncludeFormattedMessage = true);

        if (OtlpEndpointConfigured(configuration))
        {
            otel.UseOtlpExporter();
        }
    }

    public static bool OtlpEndpointConfigured(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
        || !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);
}
