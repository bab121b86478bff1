using Serilog.Core;
using Serilog.Events;

namespace Glassbox.Gateway.Telemetry.Redaction;

/// <summary>
/// Redacts <c>key</c> query parameters in every log event's string and URI properties before any sink renders
/// it: the console, and the providers it forwards to (OTLP logs). ASP.NET Core's "Request starting … ?key=…" and
/// YARP's "Proxying to …" carry the query when an operator lowers their level to Information.
/// </summary>
internal sealed class QueryKeyRedactingEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? redacted = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var text = value is ScalarValue { Value: string s } ? s : value is ScalarValue { Value: Uri uri } ? uri.OriginalString : null;
            if (text is not null && QueryKeyRedaction.MayHoldKey(text) && QueryKeyRedaction.Redact(text) is var clean && !ReferenceEquals(clean, text))
            {
                (redacted ??= []).Add(new LogEventProperty(name, new ScalarValue(clean)));
            }
        }

        foreach (var property in redacted ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }
}
