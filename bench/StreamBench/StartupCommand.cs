using System.Diagnostics;

namespace Glassbox.Bench.StreamBench;

/// <summary>
/// Start-up time: launches a server process (its environment is this process's), polls a URL every
/// millisecond and reports the time from process start to the first 200, then stops the process. Repeated
/// <c>--runs</c> times; median and min–max.
/// </summary>
internal static class StartupCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var command = options.Required("command").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var uri = new Uri(options.Required("url"));
        var runs = Math.Max(1, options.Int("runs", 5));
        var budget = TimeSpan.FromSeconds(options.Double("max-seconds", 30));
        using var client = Requests.CreateClient(TimeSpan.FromSeconds(1));
        var samples = new List<double>(runs);
        var failures = 0;
        for (var run = 0; run < runs; run++)
        {
            var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in command.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }

            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            double? ms = null;
            while (clock.Elapsed < budget && !process.HasExited)
            {
                try
                {
                    using var response = await client.GetAsync(uri);
                    if ((int)response.StatusCode == 200)
                    {
                        ms = clock.Elapsed.TotalMilliseconds;
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                catch (TaskCanceledException)
                {
                }

                await Task.Delay(1);
            }

            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            if (ms is { } value)
            {
                samples.Add(value);
            }
            else
            {
                failures++;
            }

            await Task.Delay(300); // the port is free again
        }

        samples.Sort();
        var median = Stats.Percentile(samples, 50);
        var label = options.Text("label", command[^1]);
        Console.WriteLine($"startup {label}: runs={samples.Count}/{runs} median={Stats.F(median, "0.0")} ms " +
                          $"min={Stats.F(samples.Count > 0 ? samples[0] : double.NaN, "0.0")} ms max={Stats.F(samples.Count > 0 ? samples[^1] : double.NaN, "0.0")} ms");
        var line = new Dictionary<string, object?>(StringComparer.Ordinal) { ["kind"] = "startup" };
        options.Tag(line);
        line["runs"] = samples.Count;
        line["failures"] = failures;
        line["startup_ms"] = Stats.Round(median);
        line["startup_min_ms"] = Stats.Round(samples.Count > 0 ? samples[0] : double.NaN);
        line["startup_max_ms"] = Stats.Round(samples.Count > 0 ? samples[^1] : double.NaN);
        Stats.EmitJson(line);
        return failures == 0 ? 0 : 1;
    }
}
