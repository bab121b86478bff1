using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Glassbox.Bench.StreamBench;

/// <summary>
/// Reads the JSON lines of a run (StreamBench's own, wrk's Lua <c>done()</c> and run.sh's CPU lines) and prints
/// Markdown: per target the median [min–max] over rounds, then same-round comparisons (median of per-round
/// differences or ratios). Lines are keyed by kind, scenario, label (target) and round.
/// </summary>
internal static class ReportCommand
{
    private enum Compare
    {
        None,
        Added,
        Ratio,
    }

    private sealed record Row(string Title, string Kind, string? Scenario, string Field, double Scale, string Format, string Unit, Compare Compare);

    private static readonly Row[] Rows =
    [
        new("latency c=1 p50", "latency", null, "p50_us", 1, "0", "µs", Compare.Added),
        new("latency c=1 p99", "latency", null, "p99_us", 1, "0", "µs", Compare.Added),
        new("throughput c=32 (wrk)", "wrk", null, "rps", 1, "0", "req/s", Compare.Ratio),
        new("wrk c=32 latency p99", "wrk", null, "p99_us", 0.001, "0.00", "ms", Compare.Added),
        new("wrk non-2xx + socket errors", "wrk", null, "bad", 1, "0", "", Compare.None),
        new("server CPU per request (target process)", "cpu", null, "us_per_req", 1, "0.0", "µs", Compare.Ratio),
        new("target process CPU during wrk (cores)", "cpu", null, "cpu_share", 1, "0.00", "", Compare.None),
        new("OTLP receiver CPU during wrk (cores, on the load CPU)", "cpu", null, "receiver_cpu_share", 1, "0.00", "", Compare.None),
        new("stream c=1: TTFT p50", "stream", "k1", "ttft_p50_us", 1, "0", "µs", Compare.Added),
        new("stream c=1: TTFT p99", "stream", "k1", "ttft_p99_us", 1, "0", "µs", Compare.Added),
        new("stream c=1: per-delta gap p99", "stream", "k1", "gap_p99_us", 0.001, "0.00", "ms", Compare.Added),
        new("256 streams: stalls (gap > 60 ms)", "stream", "c256", "stalls", 1, "0", "", Compare.None),
        new("256 streams: completed", "stream", "c256", "completed", 1, "0", "", Compare.None),
        new("256 streams: TTFT p50", "stream", "c256", "ttft_p50_us", 0.001, "0.0", "ms", Compare.Added),
        new("256 streams: TTFT p99", "stream", "c256", "ttft_p99_us", 0.001, "0.0", "ms", Compare.Added),
        new("256 streams: per-delta gap p99", "stream", "c256", "gap_p99_us", 0.001, "0.00", "ms", Compare.Added),
        new("256 streams: per-delta gap max", "stream", "c256", "gap_max_us", 0.001, "0.0", "ms", Compare.None),
        new("1,000 paced streams at once (64 deltas, 50 ms): failed", "stream", "c1000", "failed", 1, "0", "", Compare.None),
        new("1,000 paced streams: stalls (gap > 150 ms)", "stream", "c1000", "stalls", 1, "0", "", Compare.None),
        new("1,000 paced streams: per-delta gap p99", "stream", "c1000", "gap_p99_us", 0.001, "0.00", "ms", Compare.Added),
        new("RSS idle, after warm-up", "rss", "idle", "rss_mb", 1, "0", "MB", Compare.Ratio),
        new("RSS peak during wrk c=32", "rss", "wrk", "hwm_mb", 1, "0", "MB", Compare.Ratio),
        new("RSS peak, 256 paced streams", "rss", "c256", "hwm_mb", 1, "0", "MB", Compare.Ratio),
        new("RSS peak, 1,000 paced streams", "rss", "c1000", "hwm_mb", 1, "0", "MB", Compare.Ratio),
        new("memory per stream, 1,000 streams", "memstream", "c1000", "kb_per_stream", 1, "0", "KB", Compare.Ratio),
        new("start to /healthz answering", "startup", "startup", "startup_ms", 1, "0", "ms", Compare.None),
        new("RSS after load", "rss", "after", "rss_mb", 1, "0", "MB", Compare.Ratio),
        new("RSS quiet, 30 s after the last request", "rss", "quiet", "rss_mb", 1, "0", "MB", Compare.Ratio),
        new("RSS peak (VmHWM)", "rss", "after", "hwm_mb", 1, "0", "MB", Compare.Ratio),
    ];

    private static readonly (string Label, string Name)[] KnownTargets =
    [
        ("direct", "direct (simulator)"),
        ("yarp", "plain YARP"),
        ("nginx", "nginx"),
        ("gw-off", "gateway, export off"),
        ("gw-on", "gateway, telemetry on"),
        ("gw-aot", "gateway AOT, telemetry on"),
    ];

    private static readonly (string Target, string Reference)[] Comparisons =
    [
        ("yarp", "direct"),
        ("nginx", "direct"),
        ("gw-off", "direct"),
        ("gw-on", "direct"),
        ("gw-off", "yarp"),
        ("gw-on", "yarp"),
        ("gw-on", "gw-off"),
        ("gw-aot", "direct"),
        ("gw-aot", "yarp"),
        ("gw-aot", "gw-on"),
    ];

    public static int Run(Options options)
    {
        var path = options.Required("input");
        // (kind, scenario, label) → round → JSON object
        var data = new Dictionary<(string, string?, string), SortedDictionary<int, JsonElement>>();
        foreach (var text in File.ReadLines(path))
        {
            if (!text.StartsWith('{'))
            {
                continue;
            }

            using var document = JsonDocument.Parse(text);
            var root = document.RootElement.Clone();
            var kind = Str(root, "kind");
            var label = Str(root, "label");
            if (kind is null || label is null)
            {
                continue;
            }

            var round = root.TryGetProperty("round", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : 0;
            var key = (kind, Str(root, "scenario"), label);
            if (!data.TryGetValue(key, out var rounds))
            {
                data[key] = rounds = [];
            }

            rounds[round] = root;
        }

        var labels = data.Keys.Select(k => k.Item3).Distinct().ToHashSet(StringComparer.Ordinal);
        var targets = KnownTargets.Where(t => labels.Contains(t.Label)).ToList();
        targets.AddRange(labels.Where(l => KnownTargets.All(t => t.Label != l)).Order().Select(l => (l, l)));

        var md = new StringBuilder();
        md.AppendLine("### Per target: median [min–max] over rounds");
        md.AppendLine();
        md.AppendLine("| figure | " + string.Join(" | ", targets.Select(t => t.Name)) + " |");
        md.AppendLine("|---|" + string.Concat(targets.Select(_ => "---|")));
        foreach (var row in Rows)
        {
            var cells = targets.Select(t => Values(data, row, t.Label) is { Count: > 0 } values ? Summary(values.Values.ToList(), row, signed: false) : "–");
            if (cells.All(c => c == "–"))
            {
                continue;
            }

            md.AppendLine($"| {row.Title}{(row.Unit.Length > 0 ? $" ({row.Unit})" : "")} | " + string.Join(" | ", cells) + " |");
        }

        var pairs = Comparisons.Where(c => labels.Contains(c.Target) && labels.Contains(c.Reference)).ToList();
        if (pairs.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("### Same-run comparisons: median [min–max] of per-round differences (+) or ratios (×)");
            md.AppendLine();
            md.AppendLine("| figure | " + string.Join(" | ", pairs.Select(p => $"{p.Target} vs {p.Reference}")) + " |");
            md.AppendLine("|---|" + string.Concat(pairs.Select(_ => "---|")));
            foreach (var row in Rows.Where(r => r.Compare != Compare.None))
            {
                var cells = pairs.Select(p => Comparison(data, row, p.Target, p.Reference)).ToList();
                if (cells.All(c => c == "–"))
                {
                    continue;
                }

                md.AppendLine($"| {row.Title} | " + string.Join(" | ", cells) + " |");
            }
        }

        Console.Write(md.ToString());
        return 0;
    }

    private static Dictionary<int, double>? Values(Dictionary<(string, string?, string), SortedDictionary<int, JsonElement>> data, Row row, string label)
    {
        if (!data.TryGetValue((row.Kind, row.Scenario, label), out var rounds))
        {
            return null;
        }

        var values = new Dictionary<int, double>();
        foreach (var (round, element) in rounds)
        {
            if (element.TryGetProperty(row.Field, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                values[round] = value.GetDouble();
            }
        }

        return values;
    }

    private static string Comparison(Dictionary<(string, string?, string), SortedDictionary<int, JsonElement>> data, Row row, string target, string reference)
    {
        var t = Values(data, row, target);
        var r = Values(data, row, reference);
        if (t is null || r is null)
        {
            return "–";
        }

        var perRound = t.Keys.Intersect(r.Keys)
            .Select(round => row.Compare == Compare.Ratio ? (r[round] == 0 ? double.NaN : t[round] / r[round]) : t[round] - r[round])
            .Where(double.IsFinite)
            .ToList();
        if (perRound.Count == 0)
        {
            return "–";
        }

        if (row.Compare == Compare.Ratio)
        {
            var ratioRow = row with { Scale = 1, Format = "0.00", Unit = "×" };
            return Summary(perRound, ratioRow, signed: false);
        }

        return Summary(perRound, row, signed: true);
    }

    private static string Summary(List<double> values, Row row, bool signed)
    {
        string Format(double v)
        {
            var text = (v * row.Scale).ToString(row.Format, CultureInfo.InvariantCulture);
            return signed && v >= 0 ? "+" + text : text;
        }

        var unit = row.Unit == "×" ? "×" : "";
        var median = Format(Stats.Median(values)) + unit;
        return values.Count == 1 ? median : $"{median} [{Format(values.Min())}–{Format(values.Max())}]";
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
