using System.Text;
using OpenTelemetry.Metrics;

namespace Glassbox.Gateway.Telemetry.Prometheus;

/// <summary>
/// How an OpenTelemetry metric is named on the scrape endpoint, by the OpenTelemetry-to-Prometheus compatibility rules
/// (the ones the OpenTelemetry Prometheus exporter applies): name sanitised, the unit translated and appended
/// (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>, <c>{token}/s</c> → <c>_per_second</c>, annotations dropped),
/// and <c>_total</c> on counters. The dashboards and alert rules are written against these names.
/// </summary>
internal sealed class PrometheusMetricNames
{
    private PrometheusMetricNames(string name, string openMetricsSample, string openMetricsFamily, string? unit, PrometheusType type)
    {
        TextName = name;
        OpenMetricsSampleName = openMetricsSample;
        OpenMetricsFamilyName = openMetricsFamily;
        Unit = unit;
        Type = type;
    }

    /// <summary>The family and sample name in the Prometheus text format (counters end in <c>_total</c>).</summary>
    public string TextName { get; }

    /// <summary>The sample name in OpenMetrics (counters end in <c>_total</c>).</summary>
    public string OpenMetricsSampleName { get; }

    /// <summary>The family name in OpenMetrics metadata lines (counters without <c>_total</c>).</summary>
    public string OpenMetricsFamilyName { get; }

    /// <summary>The translated unit, or null when it translates to nothing (<c>1</c>, <c>{token}</c>).</summary>
    public string? Unit { get; }

    public PrometheusType Type { get; }

    public static PrometheusMetricNames For(Metric metric)
    {
        var type = TypeOf(metric.MetricType);
        var unit = string.IsNullOrEmpty(metric.Unit) ? null : TranslateUnit(metric.Unit);
        if (unit is { Length: 0 })
        {
            unit = null;
        }

        var textName = Sanitize(metric.Name);
        var openMetricsName = type == PrometheusType.Counter ? WithoutTotal(metric.Name) : metric.Name;
        if (unit is not null)
        {
            if (!textName.EndsWith(unit, StringComparison.Ordinal)
                && (type != PrometheusType.Counter || !textName.EndsWith(unit + "_total", StringComparison.Ordinal)))
            {
                textName += "_" + unit;
            }

            if (!openMetricsName.EndsWith(unit, StringComparison.Ordinal))
            {
                openMetricsName += "_" + unit;
            }
        }

        openMetricsName = Sanitize(openMetricsName);
        if (type == PrometheusType.Counter)
        {
            if (!textName.EndsWith("_total", StringComparison.Ordinal))
            {
                textName += "_total";
            }

            if (!openMetricsName.EndsWith("_total", StringComparison.Ordinal))
            {
                openMetricsName += "_total";
            }
        }

        var family = type == PrometheusType.Counter ? WithoutTotal(openMetricsName) : openMetricsName;
        return new PrometheusMetricNames(textName, openMetricsName, family, unit, type);
    }

    /// <summary>Counters (monotonic sums) stay counters; up-down counters and gauges are gauges.</summary>
    public static PrometheusType TypeOf(MetricType type) => type switch
    {
        MetricType.LongSum or MetricType.DoubleSum => PrometheusType.Counter,
        MetricType.Histogram => PrometheusType.Histogram,
        MetricType.LongSumNonMonotonic or MetricType.DoubleSumNonMonotonic or MetricType.LongGauge or MetricType.DoubleGauge => PrometheusType.Gauge,
        _ => PrometheusType.Unsupported,
    };

    /// <summary>A label name: characters outside [A-Za-z0-9_] become one underscore, a leading digit gets one before it.</summary>
    public static string LabelName(string key)
    {
        if (key.Length > 0 && !char.IsAsciiDigit(key[0]) && key.AsSpan().IndexOfAnyExcept(LabelCharacters) < 0)
        {
            return key;
        }

        var name = new StringBuilder(key.Length + 1);
        var afterUnderscore = false;
        if (key.Length > 0 && char.IsAsciiDigit(key[0]))
        {
            name.Append('_');
            afterUnderscore = true;
        }

        foreach (var c in key)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                name.Append(c);
                afterUnderscore = c == '_';
            }
            else if (!afterUnderscore)
            {
                name.Append('_');
                afterUnderscore = true;
            }
        }

        return name.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> LabelCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    private static string WithoutTotal(string name) => name.EndsWith("_total", StringComparison.Ordinal) ? name[..^6] : name;

    /// <summary>
    /// A metric name: a run of characters outside [A-Za-z0-9:] (underscores included) becomes one underscore, a
    /// leading digit an underscore.
    /// </summary>
    private static string Sanitize(string name)
    {
        var sanitized = new StringBuilder(name.Length + 1);
        var afterUnderscore = false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i == 0 && char.IsAsciiDigit(c))
            {
                sanitized.Append('_');
                afterUnderscore = true;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == ':')
            {
                sanitized.Append(c);
                afterUnderscore = false;
            }
            else if (!afterUnderscore)
            {
                sanitized.Append('_');
                afterUnderscore = true;
            }
        }

        return sanitized.ToString();
    }

    /// <summary>UCUM unit to Prometheus suffix: annotations in braces dropped, <c>a/b</c> as <c>a_per_b</c>, known units spelt out.</summary>
    private static string TranslateUnit(string unit)
    {
        var plain = WithoutAnnotations(unit);
        var slash = plain.IndexOf('/', StringComparison.Ordinal);
        var translated = slash >= 0 && slash < plain.Length - 1
            ? string.Concat(SpellUnit(plain[..slash]), "_per_", SpellPerUnit(plain[(slash + 1)..]))
            : SpellUnit(plain);
        return SanitizeUnit(translated);
    }

    private static string WithoutAnnotations(string unit)
    {
        if (!unit.Contains('{', StringComparison.Ordinal))
        {
            return unit;
        }

        var plain = new StringBuilder(unit.Length);
        var open = -1;
        var copied = 0;
        for (var i = 0; i < unit.Length; i++)
        {
            if (unit[i] == '{' && open < 0)
            {
                open = i;
            }
            else if (unit[i] == '}' && open >= 0)
            {
                plain.Append(unit, copied, open - copied);
                copied = i + 1;
                open = -1;
            }
        }

        return copied == 0 ? unit : plain.Append(unit, copied, unit.Length - copied).ToString();
    }

    private static string SanitizeUnit(string unit)
    {
        var sanitized = new StringBuilder(unit.Length);
        var afterUnderscore = false;
        foreach (var c in unit)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == ':')
            {
                sanitized.Append(c);
                afterUnderscore = false;
            }
            else if (!afterUnderscore)
            {
                sanitized.Append('_');
                afterUnderscore = true;
            }
        }

        return sanitized.ToString().Trim('_');
    }

    private static string SpellUnit(string unit) => unit switch
    {
        "d" => "days",
        "h" => "hours",
        "min" => "minutes",
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "By" or "B" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "GiBy" => "gibibytes",
        "TiBy" => "tibibytes",
        "KBy" or "KB" => "kilobytes",
        "MBy" or "MB" => "megabytes",
        "GBy" or "GB" => "gigabytes",
        "TBy" or "TB" => "terabytes",
        "m" => "meters",
        "V" => "volts",
        "A" => "amperes",
        "J" => "joules",
        "W" => "watts",
        "g" => "grams",
        "Cel" => "celsius",
        "Hz" => "hertz",
        "1" => string.Empty,
        "%" => "percent",
        "$" => "dollars",
        _ => unit,
    };

    private static string SpellPerUnit(string unit) => unit switch
    {
        "s" => "second",
        "m" => "minute",
        "h" => "hour",
        "d" => "day",
        "w" => "week",
        "mo" => "month",
        "y" => "year",
        _ => unit,
    };
}

internal enum PrometheusType
{
    Unsupported,
    Counter,
    Gauge,
    Histogram,
}
