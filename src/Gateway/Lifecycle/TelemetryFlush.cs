using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Glassbox.Gateway.Lifecycle;

/// <summary>Pushes out every span, metric point and log record still buffered in the OpenTelemetry SDK.</summary>
internal static class TelemetryFlush
{
    /// <summary>True when every signal's exporters confirmed the flush within the timeout.</summary>
    public static bool ForceFlush(IServiceProvider services, TimeSpan timeoutPerSignal)
    {
        var timeout = (int)timeoutPerSignal.TotalMilliseconds;
        var ok = true;
        // Traces first: the call's log line and metrics are already recorded by the time its span ended.
        if (services.GetService<TracerProvider>() is { } tracing)
        {
            ok &= tracing.ForceFlush(timeout);
        }

        if (services.GetService<MeterProvider>() is { } metrics)
        {
            ok &= metrics.ForceFlush(timeout);
        }

        if (services.GetService<LoggerProvider>() is { } logs)
        {
            ok &= logs.ForceFlush(timeout);
        }

        return ok;
    }
}
