using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Glassbox.Bench.StreamBench;

/// <summary>
/// Paced Anthropic SSE streams at fixed concurrency. Client-side, per stream: time from send to the read that
/// brought the first <c>event: content_block_delta</c>, then the gap between the reads that brought each next delta.
/// A stall is a gap above <c>--stall-ms</c>.
/// </summary>
internal static class StreamCommand
{
    private static readonly byte[] DeltaEvent = Encoding.ASCII.GetBytes("event: content_block_delta");
    private static readonly byte[] StopEvent = Encoding.ASCII.GetBytes("event: message_stop");

    private sealed class StreamResult
    {
        public double TtftUs = double.NaN;
        public List<double> GapsUs { get; } = [];
        public int Deltas;
        public bool Stopped;
        public int Status;
        public string? Error;
    }

    public static async Task<int> RunAsync(Options options)
    {
        var uri = Requests.Target(options);
        var concurrency = Math.Max(1, options.Int("concurrency", 1));
        var streams = Math.Max(1, options.Int("streams", 100));
        var deltas = Math.Max(1, options.Int("deltas", 64));
        var gapMs = options.Int("gap-ms", 20);
        var ttftMs = options.Int("ttft-ms", 0);
        var stallMs = options.Double("stall-ms", Math.Max(60, 3.0 * gapMs));
        var warmupStreams = options.Int("warmup-streams", concurrency);
        var budget = TimeSpan.FromSeconds(options.Double("max-seconds", 120));
        using var client = Requests.CreateClient(budget);
        using var deadline = new CancellationTokenSource(budget);

        // Warm-up: open the connections (one stream per worker, one delta, no pacing); not measured.
        if (warmupStreams > 0)
        {
            await RunWaveAsync(client, uri, concurrency, warmupStreams, 1, 0, 0, deadline.Token);
        }

        var clock = Stopwatch.StartNew();
        var results = await RunWaveAsync(client, uri, concurrency, streams, deltas, gapMs, ttftMs, deadline.Token);
        var wall = clock.Elapsed;

        var ttfts = results.Where(r => double.IsFinite(r.TtftUs)).Select(r => r.TtftUs).Order().ToList();
        var gaps = results.SelectMany(r => r.GapsUs).Order().ToList();
        var stallUs = stallMs * 1000;
        var stalls = gaps.Count(g => g > stallUs);
        var stalledStreams = results.Count(r => r.GapsUs.Any(g => g > stallUs));
        var completed = results.Count(r => r.Error is null && r.Status == 200 && r.Stopped && r.Deltas == deltas);
        var errors = results.Where(r => r.Error is not null || r.Status != 200).ToList();

        double ttftP50 = Stats.Percentile(ttfts, 50), ttftP90 = Stats.Percentile(ttfts, 90), ttftP99 = Stats.Percentile(ttfts, 99);
        double gapP50 = Stats.Percentile(gaps, 50), gapP99 = Stats.Percentile(gaps, 99), gapMax = gaps.Count > 0 ? gaps[^1] : double.NaN;

        var label = options.Text("label", uri.ToString());
        Console.WriteLine($"stream {label}: c={concurrency} streams={results.Count}/{streams} deltas={deltas} gap={gapMs} ms wall={wall.TotalSeconds:0.00} s");
        Console.WriteLine($"  TTFT p50={Stats.F(ttftP50 / 1000, "0.000")} ms p90={Stats.F(ttftP90 / 1000, "0.000")} ms p99={Stats.F(ttftP99 / 1000, "0.000")} ms");
        Console.WriteLine($"  per-delta gap p50={Stats.F(gapP50 / 1000, "0.000")} ms p99={Stats.F(gapP99 / 1000, "0.000")} ms max={Stats.F(gapMax / 1000, "0.000")} ms");
        Console.WriteLine($"  stalls (gap > {stallMs:0} ms)={stalls} in {stalledStreams} streams; completed={completed}/{streams}; errors={errors.Count}");
        foreach (var error in errors.Select(e => e.Error ?? $"status {e.Status}").Distinct().Take(3))
        {
            Console.WriteLine($"  error: {error}");
        }

        var line = new Dictionary<string, object?>(StringComparer.Ordinal) { ["kind"] = "stream" };
        options.Tag(line);
        line["concurrency"] = concurrency;
        line["streams"] = streams;
        line["deltas"] = deltas;
        line["gap_ms"] = gapMs;
        line["completed"] = completed;
        line["failed"] = streams - completed;
        line["errors"] = errors.Count;
        line["stalls"] = stalls;
        line["stalled_streams"] = stalledStreams;
        line["ttft_p50_us"] = Stats.Round(ttftP50);
        line["ttft_p90_us"] = Stats.Round(ttftP90);
        line["ttft_p99_us"] = Stats.Round(ttftP99);
        line["gap_p50_us"] = Stats.Round(gapP50);
        line["gap_p99_us"] = Stats.Round(gapP99);
        line["gap_max_us"] = Stats.Round(gapMax);
        line["wall_s"] = Stats.Round(wall.TotalSeconds, 3);
        Stats.EmitJson(line);
        return completed == streams ? 0 : 1;
    }

    private static async Task<List<StreamResult>> RunWaveAsync(
        HttpClient client, Uri uri, int concurrency, int streams, int deltas, int gapMs, int ttftMs, CancellationToken cancellationToken)
    {
        var results = new StreamResult[streams];
        var next = -1;
        var workers = Enumerable.Range(0, Math.Min(concurrency, streams)).Select(async _ =>
        {
            await Task.Yield();
            int index;
            while ((index = Interlocked.Increment(ref next)) < streams && !cancellationToken.IsCancellationRequested)
            {
                results[index] = await RunOneAsync(client, uri, deltas, gapMs, ttftMs, cancellationToken);
            }
        }).ToList();
        await Task.WhenAll(workers);
        return results.Where(r => r is not null).ToList();
    }

    private static async Task<StreamResult> RunOneAsync(HttpClient client, Uri uri, int deltas, int gapMs, int ttftMs, CancellationToken cancellationToken)
    {
        var result = new StreamResult();
        var buffer = new byte[16 * 1024];
        var delta = new Matcher(DeltaEvent);
        var stop = new Matcher(StopEvent);
        try
        {
            using var request = Requests.Create(uri, Requests.StreamingBody);
            request.Headers.TryAddWithoutValidation("x-sim-deltas", deltas.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("x-sim-delta-gap-ms", gapMs.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("x-sim-ttft-ms", ttftMs.ToString(CultureInfo.InvariantCulture));
            var start = Stopwatch.GetTimestamp();
            var previous = 0L;
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            result.Status = (int)response.StatusCode;
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                var now = Stopwatch.GetTimestamp();
                var span = buffer.AsSpan(0, read);
                var found = delta.Count(span);
                for (var i = 0; i < found; i++)
                {
                    if (result.Deltas == 0)
                    {
                        result.TtftUs = Stats.Microseconds(start, now);
                    }
                    else
                    {
                        result.GapsUs.Add(Stats.Microseconds(previous, now));
                    }

                    previous = now;
                    result.Deltas++;
                }

                if (stop.Count(span) > 0)
                {
                    result.Stopped = true;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            result.Error = ex.GetType().Name + ": " + ex.Message;
        }

        return result;
    }

    /// <summary>Counts occurrences of a byte pattern across successive chunks (KMP, so splits between reads are found).</summary>
    private sealed class Matcher
    {
        private readonly byte[] _pattern;
        private readonly int[] _fallback;
        private int _matched;

        public Matcher(byte[] pattern)
        {
            _pattern = pattern;
            _fallback = new int[pattern.Length];
            for (int i = 1, k = 0; i < pattern.Length; i++)
            {
                while (k > 0 && pattern[i] != pattern[k])
                {
                    k = _fallback[k - 1];
                }

                if (pattern[i] == pattern[k])
                {
                    k++;
                }

                _fallback[i] = k;
            }
        }

        public int Count(ReadOnlySpan<byte> data)
        {
            var count = 0;
            foreach (var b in data)
            {
                while (_matched > 0 && b != _pattern[_matched])
                {
                    _matched = _fallback[_matched - 1];
                }

                if (b == _pattern[_matched])
                {
                    _matched++;
                }

                if (_matched == _pattern.Length)
                {
                    count++;
                    _matched = _fallback[_matched - 1];
                }
            }

            return count;
        }
    }
}
