using System.Globalization;
using System.Text;
using OpenTelemetry.Metrics;

namespace Glassbox.Gateway.Telemetry.Prometheus;

/// <summary>The pieces of a scrape line: label values, escaping, exemplars, type names.</summary>
internal static class ExpositionText
{
    /// <summary>The latest exemplar in (lower, upper]; with <paramref name="anyValue"/>, the latest of all.</summary>
    public static Exemplar? Latest(ReadOnlyExemplarCollection exemplars, double lower, double upper, bool anyValue)
    {
        Exemplar? latest = null;
        foreach (ref readonly var candidate in exemplars)
        {
            var inBucket = anyValue || (!double.IsNaN(candidate.DoubleValue) && candidate.DoubleValue <= upper
                && (candidate.DoubleValue > lower || (double.IsNegativeInfinity(lower) && double.IsNegativeInfinity(candidate.DoubleValue))));
            if (inBucket && (latest is not { } current || current.Timestamp <= candidate.Timestamp))
            {
                latest = candidate;
            }
        }

        return latest;
    }

    public static void AppendExemplar(StringBuilder text, Exemplar exemplar, bool isLong)
    {
        text.Append(" # {");
        var any = false;
        if (exemplar.TraceId != default)
        {
            text.Append("trace_id=\"").Append(exemplar.TraceId.ToHexString()).Append('"');
            any = true;
        }

        if (exemplar.SpanId != default)
        {
            text.Append(any ? "," : string.Empty).Append("span_id=\"").Append(exemplar.SpanId.ToHexString()).Append('"');
            any = true;
        }

        foreach (var tag in exemplar.FilteredTags)
        {
            var key = PrometheusMetricNames.LabelName(tag.Key);
            if (key is "trace_id" or "span_id")
            {
                continue;
            }

            text.Append(any ? "," : string.Empty).Append(key).Append("=\"");
            AppendEscaped(text, LabelValue(tag.Value), escapeQuotes: true);
            text.Append('"');
            any = true;
        }

        text.Append("} ");
        if (isLong)
        {
            text.Append(exemplar.LongValue.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            ExpositionNumbers.AppendDouble(text, exemplar.DoubleValue);
        }

        if (exemplar.Timestamp != default)
        {
            text.Append(' ');
            ExpositionNumbers.AppendUnixSeconds(text, exemplar.Timestamp);
        }
    }

    public static string TypeName(PrometheusType type) => type switch
    {
        PrometheusType.Counter => "counter",
        PrometheusType.Histogram => "histogram",
        _ => "gauge",
    };

    public static string LabelValue(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        bool flag => flag ? "true" : "false",
        double number => Canonical(number),
        float number => Canonical(number),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Canonical(double value)
    {
        var text = new StringBuilder(24);
        ExpositionNumbers.AppendCanonical(text, value);
        return text.ToString();
    }

    /// <summary>Backslash and line feed escaped; double quotes too in label values and OpenMetrics help.</summary>
    public static void AppendEscaped(StringBuilder text, string value, bool escapeQuotes)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append(@"\\");
                    break;
                case '\n':
                    text.Append(@"\n");
                    break;
                case '"' when escapeQuotes:
                    text.Append("\\\"");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
    }
}
