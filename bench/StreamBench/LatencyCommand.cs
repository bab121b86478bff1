using System.Diagnostics;

namespace Glassbox.Bench.StreamBench;

/// <summary>Concurrency-1 request/response latency: non-streaming POST, whole body read.</summary>
internal static class LatencyCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var uri = Requests.Target(options);
        var n = options.Int("n", 2000);
        var warmup = options.Int("warmup", 200);
        var budget = TimeSpan.FromSeconds(options.Double("max-seconds", 60));
        using var client = Requests.CreateClient(budget);
        using var deadline = new CancellationTokenSource(budget);

        var samples = new List<double>(n);
        var errors = 0;
        var buffer = new byte[64 * 1024];
        try
        {
            for (var i = 0; i < warmup + n; i++)
            {
                var start = Stopwatch.GetTimestamp();
                using var request = Requests.Create(uri, Requests.NonStreamingBody);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                await using (var body = await response.Content.ReadAsStreamAsync(deadline.Token))
                {
                    while (await body.ReadAsync(buffer, deadline.Token) > 0)
                    {
                    }
                }

                var elapsed = Stats.Microseconds(start, Stopwatch.GetTimestamp());
                if (i < warmup)
                {
                    continue;
                }

                if ((int)response.StatusCode != 200)
                {
                    errors++;
                }

                samples.Add(elapsed);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Console.Error.WriteLine($"latency: time budget of {budget.TotalSeconds:0} s reached after {samples.Count} samples");
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"latency: {ex.Message}");
            errors++;
        }

        samples.Sort();
        double p50 = Stats.Percentile(samples, 50), p90 = Stats.Percentile(samples, 90), p99 = Stats.Percentile(samples, 99);
        var mean = samples.Count > 0 ? samples.Average() : double.NaN;
        Console.WriteLine($"latency {options.Text("label", uri.ToString())}: n={samples.Count} errors={errors} " +
                          $"p50={Stats.F(p50)} µs p90={Stats.F(p90)} µs p99={Stats.F(p99)} µs mean={Stats.F(mean)} µs");
        var line = new Dictionary<string, object?>(StringComparer.Ordinal) { ["kind"] = "latency" };
        options.Tag(line);
        line["n"] = samples.Count;
        line["errors"] = errors;
        line["p50_us"] = Stats.Round(p50);
        line["p90_us"] = Stats.Round(p90);
        line["p99_us"] = Stats.Round(p99);
        line["mean_us"] = Stats.Round(mean);
        Stats.EmitJson(line);
        return samples.Count > 0 && errors == 0 ? 0 : 1;
    }
}
