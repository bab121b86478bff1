using System.Globalization;

namespace Glassbox.Bench.StreamBench;

/// <summary>Resident memory of a process from /proc/P/status: VmRSS (now) and VmHWM (peak so far).</summary>
internal static class RssCommand
{
    public static int Run(Options options)
    {
        var pid = options.Int("pid", -1);
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"rss: no process {pid}");
            return 1;
        }

        if (options.Int("reset-peak", 0) == 1)
        {
            // Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM) to the current RSS.
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
        }

        double rss = double.NaN, hwm = double.NaN;
        foreach (var text in File.ReadLines(path))
        {
            if (text.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(text) / 1024.0;
            }
            else if (text.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kilobytes(text) / 1024.0;
            }
        }

        Console.WriteLine($"rss {options.Text("label", pid.ToString(CultureInfo.InvariantCulture))} ({options.Text("scenario", "now")}): " +
                          $"VmRSS={Stats.F(rss, "0.0")} MB VmHWM={Stats.F(hwm, "0.0")} MB");
        var line = new Dictionary<string, object?>(StringComparer.Ordinal) { ["kind"] = "rss" };
        options.Tag(line);
        line["pid"] = pid;
        line["rss_mb"] = Stats.Round(rss);
        line["hwm_mb"] = Stats.Round(hwm);
        Stats.EmitJson(line);
        return 0;
    }

    private static double Kilobytes(string statusLine) =>
        double.Parse(statusLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
