using System.Diagnostics;
using OpenTelemetry;

namespace Glassbox.Gateway.Telemetry.Redaction;

/// <summary>
/// First in the trace pipeline, before sampling and every exporter: a span that ends with a <c>key</c> query
/// parameter in a string attribute (<c>url.full</c>, <c>url.query</c>, <c>http.target</c>, or any other) leaves
/// with its value redacted. Spans without one cost a scan of their string attributes and allocate nothing.
/// </summary>
internal sealed class QueryKeyRedactingProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        List<KeyValuePair<string, string>>? redacted = null;
        foreach (ref readonly var tag in data.EnumerateTagObjects())
        {
            if (tag.Value is string text && QueryKeyRedaction.MayHoldKey(text) && QueryKeyRedaction.Redact(text) is var clean && !ReferenceEquals(clean, text))
            {
                (redacted ??= []).Add(new(tag.Key, clean));
            }
        }

        // Set after the walk: changing tags while enumerating them is not allowed.
        foreach (var (key, value) in redacted ?? [])
        {
            data.SetTag(key, value);
        }
    }
}
