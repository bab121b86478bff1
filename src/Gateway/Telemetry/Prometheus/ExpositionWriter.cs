using System.Globalization;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Glassbox.Gateway.Telemetry.Prometheus;

/// <summary>
/// One collection of metrics as a scrape response: <c>target_info</c> from the resource, then every metric family in
/// name order (type, unit in OpenMetrics, help), each series labelled with its meter (<c>otel_scope_name</c>) and its
/// tags. OpenMetrics adds the counters' and histograms' <c>_created</c> times, exemplars (the trace of the latest
/// sampled measurement) and <c># EOF</c>. Families whose names collide with different types are left out.
/// </summary>
internal sealed class ExpositionWriter
{
    private readonly Dictionary<Metric, PrometheusMetricNames> _names = [];
    private readonly Dictionary<Metric, List<KeyValuePair<string, string>>> _scopeLabels = [];

    // The current series' label set, rendered once and copied into each of its lines; reused across series and scrapes.
    private readonly StringBuilder _labels = new();

    public void Write(StringBuilder text, in Batch<Metric> batch, Resource resource, ExpositionFormat format)
    {
        var openMetrics = format == ExpositionFormat.OpenMetrics;
        WriteTargetInfo(text, resource, openMetrics);

        var families = new List<(string Family, Metric Metric, PrometheusMetricNames Names)>();
        foreach (var metric in batch)
        {
            var names = NamesOf(metric);
            if (names.Type != PrometheusType.Unsupported)
            {
                families.Add((openMetrics ? names.OpenMetricsFamilyName : names.TextName, metric, names));
            }
        }

        families.Sort(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Family, b.Family);
            order = order != 0 ? order : string.CompareOrdinal(a.Metric.MeterName, b.Metric.MeterName);
            return order != 0 ? order : string.CompareOrdinal(a.Metric.Name, b.Metric.Name);
        });

        for (var first = 0; first < families.Count;)
        {
            var end = first + 1;
            while (end < families.Count && families[end].Family == families[first].Family)
            {
                end++;
            }

            WriteFamily(text, families, first, end, openMetrics);
            first = end;
        }

        if (openMetrics)
        {
            text.Append("# EOF\n");
        }
    }

    private void WriteFamily(StringBuilder text, List<(string Family, Metric Metric, PrometheusMetricNames Names)> families, int first, int end, bool openMetrics)
    {
        string? unit = null;
        string? help = null;
        for (var i = first; i < end; i++)
        {
            if (families[i].Names.Type != families[first].Names.Type)
            {
                return; // one name, two types: a scraper could read neither correctly.
            }

            unit ??= families[i].Names.Unit;
            help ??= string.IsNullOrEmpty(families[i].Metric.Description) ? null : families[i].Metric.Description;
        }

        var family = families[first].Family;
        text.Append("# TYPE ").Append(family).Append(' ').Append(ExpositionText.TypeName(families[first].Names.Type)).Append('\n');
        if (openMetrics && unit is not null)
        {
            text.Append("# UNIT ").Append(family).Append(' ').Append(unit).Append('\n');
        }

        if (help is not null)
        {
            text.Append("# HELP ").Append(family).Append(' ');
            ExpositionText.AppendEscaped(text, help, escapeQuotes: openMetrics);
            text.Append('\n');
        }

        for (var i = first; i < end; i++)
        {
            var (_, metric, names) = families[i];
            var sample = openMetrics ? names.OpenMetricsSampleName : names.TextName;
            if (names.Type == PrometheusType.Histogram)
            {
                WriteHistograms(text, metric, sample, names, openMetrics);
            }
            else
            {
                WriteSums(text, metric, sample, names, openMetrics);
            }
        }
    }

    private void WriteSums(StringBuilder text, Metric metric, string sample, PrometheusMetricNames names, bool openMetrics)
    {
        var isLong = metric.MetricType is MetricType.LongSum or MetricType.LongSumNonMonotonic or MetricType.LongGauge;
        var isSum = metric.MetricType is MetricType.LongSum or MetricType.DoubleSum or MetricType.LongSumNonMonotonic or MetricType.DoubleSumNonMonotonic;
        var counterInOpenMetrics = openMetrics && names.Type == PrometheusType.Counter;
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var labels = LabelSet(metric, point.Tags, reservedKey: null);
            text.Append(sample).Append('{').Append(labels).Append("} ");
            if (isLong)
            {
                text.Append((isSum ? point.GetSumLong() : point.GetGaugeLastValueLong()).ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                ExpositionNumbers.AppendDouble(text, isSum ? point.GetSumDouble() : point.GetGaugeLastValueDouble());
            }

            if (counterInOpenMetrics && point.TryGetExemplars(out var exemplars) && ExpositionText.Latest(exemplars, double.NegativeInfinity, double.PositiveInfinity, anyValue: true) is { } exemplar)
            {
                ExpositionText.AppendExemplar(text, exemplar, isLong);
            }

            text.Append('\n');
            if (counterInOpenMetrics)
            {
                AppendCreated(text, names.OpenMetricsFamilyName, labels, point);
            }
        }
    }

    private void WriteHistograms(StringBuilder text, Metric metric, string sample, PrometheusMetricNames names, bool openMetrics)
    {
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            // The label set once per series: every bucket, _sum, _count and _created line repeats it.
            var labels = LabelSet(metric, point.Tags, reservedKey: "le");
            ReadOnlyExemplarCollection exemplars = default;
            var hasExemplars = openMetrics && point.TryGetExemplars(out exemplars);
            var negativeBound = false;
            var cumulative = 0L;
            var lower = double.NegativeInfinity;
            foreach (var bucket in point.GetHistogramBuckets())
            {
                negativeBound |= bucket.ExplicitBound < 0;
                cumulative += bucket.BucketCount;
                text.Append(sample).Append("_bucket{").Append(labels).Append(labels.Length == 0 ? "le=\"" : ",le=\"");
                AppendBound(text, bucket.ExplicitBound, openMetrics);
                text.Append("\"} ").Append(cumulative.ToString(CultureInfo.InvariantCulture));
                if (hasExemplars && ExpositionText.Latest(exemplars, lower, bucket.ExplicitBound, anyValue: false) is { } exemplar)
                {
                    ExpositionText.AppendExemplar(text, exemplar, isLong: false);
                }

                text.Append('\n');
                lower = bucket.ExplicitBound;
            }

            // OpenMetrics forbids _sum (and so _count) on a histogram with negative bounds.
            if (!openMetrics || !negativeBound)
            {
                text.Append(sample).Append("_sum{").Append(labels).Append("} ");
                ExpositionNumbers.AppendDouble(text, point.GetHistogramSum());
                text.Append('\n');
                text.Append(sample).Append("_count{").Append(labels).Append("} ")
                    .Append(point.GetHistogramCount().ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            if (openMetrics)
            {
                AppendCreated(text, names.OpenMetricsFamilyName, labels, point);
            }
        }
    }

    private static void AppendCreated(StringBuilder text, string family, StringBuilder labels, in MetricPoint point)
    {
        text.Append(family).Append("_created{").Append(labels).Append("} ");
        ExpositionNumbers.AppendUnixSeconds(text, point.StartTime);
        text.Append('\n');
    }

    /// <summary>A bucket's <c>le</c>: OpenMetrics wants canonical numbers (<c>1.0</c>), the text format the shortest form (<c>1</c>).</summary>
    private static void AppendBound(StringBuilder text, double bound, bool openMetrics)
    {
        if (double.IsPositiveInfinity(bound))
        {
            text.Append("+Inf");
        }
        else if (openMetrics)
        {
            ExpositionNumbers.AppendCanonical(text, bound);
        }
        else
        {
            ExpositionNumbers.AppendDouble(text, bound);
        }
    }

    /// <summary>The series' labels, escaped and comma-separated, without braces: the meter's, then the point's tags.</summary>
    private StringBuilder LabelSet(Metric metric, ReadOnlyTagCollection tags, string? reservedKey)
    {
        var labels = new List<KeyValuePair<string, string>>(ScopeLabelsOf(metric));
        foreach (var tag in tags)
        {
            var key = PrometheusMetricNames.LabelName(tag.Key);
            if (key == reservedKey)
            {
                continue;
            }

            var value = ExpositionText.LabelValue(tag.Value);
            var existing = labels.FindIndex(l => l.Key == key);
            if (existing >= 0)
            {
                // Two keys that sanitise alike (a.b and a_b) share one label, their values joined.
                labels[existing] = new(key, string.Concat(labels[existing].Value, ";", value));
            }
            else
            {
                labels.Add(new(key, value));
            }
        }

        var text = _labels.Clear();
        foreach (var (key, value) in labels)
        {
            text.Append(text.Length == 0 ? string.Empty : ",").Append(key).Append("=\"");
            ExpositionText.AppendEscaped(text, value, escapeQuotes: true);
            text.Append('"');
        }

        return text;
    }

    private List<KeyValuePair<string, string>> ScopeLabelsOf(Metric metric)
    {
        if (!_scopeLabels.TryGetValue(metric, out var labels))
        {
            labels = [new("otel_scope_name", metric.MeterName)];
            if (!string.IsNullOrEmpty(metric.MeterVersion))
            {
                labels.Add(new("otel_scope_version", metric.MeterVersion));
            }

            foreach (var tag in metric.MeterTags ?? [])
            {
                var key = PrometheusMetricNames.LabelName("otel_scope_" + tag.Key);
                if (key is not ("otel_scope_name" or "otel_scope_version" or "otel_scope_schema_url"))
                {
                    labels.Add(new(key, ExpositionText.LabelValue(tag.Value)));
                }
            }

            _scopeLabels[metric] = labels;
        }

        return labels;
    }

    private static void WriteTargetInfo(StringBuilder text, Resource resource, bool openMetrics)
    {
        var first = true;
        foreach (var (key, value) in resource.Attributes)
        {
            if (first)
            {
                text.Append(openMetrics ? "# TYPE target info\n# HELP target Target metadata\n" : "# TYPE target_info gauge\n# HELP target_info Target metadata\n");
                text.Append("target_info{");
            }
            else
            {
                text.Append(',');
            }

            text.Append(PrometheusMetricNames.LabelName(key)).Append("=\"");
            ExpositionText.AppendEscaped(text, ExpositionText.LabelValue(value), escapeQuotes: true);
            text.Append('"');
            first = false;
        }

        if (!first)
        {
            text.Append("} 1\n");
        }
    }

    private PrometheusMetricNames NamesOf(Metric metric)
    {
        if (!_names.TryGetValue(metric, out var names))
        {
            names = PrometheusMetricNames.For(metric);
            _names[metric] = names;
        }

        return names;
    }
}
