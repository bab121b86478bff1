using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Glassbox.Gateway.Telemetry.Redaction;

/// <summary>
/// First in the log pipeline, before the console writer and every exporter: a record's rendered message and its
/// string and URI attributes leave with the value of any <c>key</c> query parameter redacted. ASP.NET Core's
/// "Request starting … ?key=…" and YARP's "Proxying to …" carry the query when an operator lowers their level to
/// Information. Records without one cost a scan of their strings and allocate nothing.
/// </summary>
internal sealed class QueryKeyRedactingLogProcessor : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data)
    {
        if (data.FormattedMessage is { } message && QueryKeyRedaction.MayHoldKey(message))
        {
            data.FormattedMessage = QueryKeyRedaction.Redact(message);
        }

        if (data.Attributes is not { Count: > 0 } attributes)
        {
            return;
        }

        List<KeyValuePair<string, object?>>? redacted = null;
        for (var i = 0; i < attributes.Count; i++)
        {
            var (name, value) = attributes[i];
            var text = value as string ?? (value as Uri)?.OriginalString;
            if (text is not null && QueryKeyRedaction.MayHoldKey(text) && QueryKeyRedaction.Redact(text) is var clean && !ReferenceEquals(clean, text))
            {
                redacted ??= [.. attributes];
                redacted[i] = new(name, clean);
            }
        }

        if (redacted is not null)
        {
            data.Attributes = redacted;
        }
    }
}
