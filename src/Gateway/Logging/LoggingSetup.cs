using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;

namespace Glassbox.Gateway.Logging;

/// <summary>
/// The gateway's logging: the logging framework's filter rules (<see cref="LogLevelSettings"/>) and one provider,
/// OpenTelemetry's, whose pipeline renders each record once, redacts key query parameters in it
/// (<see cref="Telemetry.Redaction.QueryKeyRedactingLogProcessor"/>) and hands it to the console writer
/// (<see cref="ConsoleLogProcessor"/>) and, with export on, the OTLP exporter.
/// </summary>
internal static class LoggingSetup
{
    public static void AddGlassboxLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IConfigureOptions<LoggerFilterOptions>, LogLevelSettings>();
        // Processors run in the order added, ahead of the OTLP exporter (added later, in AddGlassboxOpenTelemetry):
        // the redaction first, so that neither the console nor any exporter sees a key.
        builder.Services.ConfigureOpenTelemetryLoggerProvider(logging => logging
            .AddProcessor(new Telemetry.Redaction.QueryKeyRedactingLogProcessor())
            .AddProcessor(services => new ConsoleLogProcessor(services.GetRequiredService<Telemetry.GatewayInstrumentation>().Meter, Console.OpenStandardOutput())));
    }
}
