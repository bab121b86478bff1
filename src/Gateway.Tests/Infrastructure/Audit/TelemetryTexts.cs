using System.Collections;
using System.Diagnostics;
using OpenTelemetry.Metrics;

namespace Glassbox.Gateway.Tests.Infrastructure.Audit;

/// <summary>One piece of text a gateway emitted, and where: what the secrets checks search.</summary>
internal readonly record struct EmittedText(string Where, string Text);

/// <summary>Every text a span or a metric exports, flattened for searching.</summary>
internal static class TelemetryTexts
{
    /// <summary>Names, every attribute value (array items too), status, events, links and baggage of each span.</summary>
    public static IEnumerable<EmittedText> OfSpans(IEnumerable<Activity> spans, string? exceptAttribute = null)
    {
        foreach (var span in spans)
        {
            foreach (var text in OfSpan(span, exceptAttribute))
            {
                yield return text;
            }
        }
    }

    public static IEnumerable<EmittedText> OfSpan(Activity span, string? exceptAttribute = null)
    {
        var at = $"span '{span.DisplayName}' ({span.Source.Name})";
        yield return new(at + " name", span.DisplayName);
        yield return new(at + " operation", span.OperationName);
        yield return new(at + " status", span.StatusDescription ?? "");
        yield return new(at + " tracestate", span.TraceStateString ?? "");
        foreach (var tag in span.TagObjects.Where(t => t.Key != exceptAttribute))
        {
            foreach (var text in Values(tag.Value))
            {
                yield return new($"{at} attribute {tag.Key}", text);
            }
        }

        foreach (var e in span.Events)
        {
            yield return new($"{at} event", e.Name);
            foreach (var tag in e.Tags)
            {
                foreach (var text in Values(tag.Value))
                {
                    yield return new($"{at} event {e.Name} {tag.Key}", text);
                }
            }
        }

        foreach (var link in span.Links)
        {
            foreach (var tag in link.Tags ?? [])
            {
                foreach (var text in Values(tag.Value))
                {
                    yield return new($"{at} link {tag.Key}", text);
                }
            }
        }

        foreach (var item in span.Baggage)
        {
            yield return new($"{at} baggage {item.Key}", item.Value ?? "");
        }
    }

    /// <summary>Every tag value of every point of the metrics (the caller holds whatever lock guards the list).</summary>
    public static List<EmittedText> OfMetrics(IEnumerable<Metric> metrics)
    {
        var texts = new List<EmittedText>();
        foreach (var metric in metrics)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                foreach (var tag in point.Tags)
                {
                    foreach (var text in Values(tag.Value))
                    {
                        texts.Add(new($"metric {metric.Name} {tag.Key}", text));
                    }
                }
            }
        }

        return texts;
    }

    /// <summary>Each forbidden text found, as "'secret' in where: text" (case-insensitive).</summary>
    public static List<string> Leaks(IEnumerable<EmittedText> texts, IReadOnlyCollection<string> forbidden) =>
        texts.SelectMany(t => forbidden.Where(f => t.Text.Contains(f, StringComparison.OrdinalIgnoreCase)).Select(f => $"'{f}' in {t.Where}: {t.Text}")).ToList();

    private static IEnumerable<string> Values(object? value) => value switch
    {
        null => [],
        string text => [text],
        IEnumerable items => items.Cast<object?>().Select(item => item?.ToString() ?? ""),
        _ => [value.ToString() ?? ""],
    };
}
