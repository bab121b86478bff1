using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Glassbox.Bench.StreamBench;

internal static class Stats
{
    /// <summary>Nearest-rank percentile of an ascending-sorted list; NaN when empty.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static double Microseconds(long fromTimestamp, long toTimestamp) =>
        (toTimestamp - fromTimestamp) * 1_000_000.0 / Stopwatch.Frequency;

    public static double Round(double value, int digits = 1) =>
        double.IsFinite(value) ? Math.Round(value, digits) : double.NaN;

    /// <summary>Writes the machine-readable line: one JSON object, NaN as null.</summary>
    public static void EmitJson(Dictionary<string, object?> line)
    {
        var clean = line.ToDictionary(kv => kv.Key, kv => kv.Value is double d && !double.IsFinite(d) ? null : kv.Value, StringComparer.Ordinal);
        Console.WriteLine(JsonSerializer.Serialize(clean));
    }

    public static string F(double value, string format = "0") =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
