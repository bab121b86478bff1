using System.Globalization;

namespace Glassbox.Bench.Soak;

/// <summary>One 10-second sample of the gateway process: from /proc, and the GC heap from its own /metrics.</summary>
internal sealed record ProcessSample(TimeSpan At, long RssBytes, int Threads, int Handles, long? GcHeapBytes, long Calls)
{
    public static async Task<ProcessSample> TakeAsync(int pid, HttpClient metrics, TimeSpan at, long calls)
    {
        long rss = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line[8..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        var handles = Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
        return new ProcessSample(at, rss, threads, handles, await GcHeapAsync(metrics), calls);
    }

    /// <summary>Sum over generations of <c>dotnet.gc.last_collection.heap.size</c> (the runtime's System.Runtime meter), or null.</summary>
    private static async Task<long?> GcHeapAsync(HttpClient metrics)
    {
        try
        {
            var text = await metrics.GetStringAsync(new Uri("metrics", UriKind.Relative));
            double sum = 0;
            var found = false;
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("dotnet_gc_last_collection_heap_size_bytes", StringComparison.Ordinal))
                {
                    var value = line[(line.LastIndexOf(' ') + 1)..];
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var bytes))
                    {
                        sum += bytes;
                        found = true;
                    }
                }
            }

            return found ? (long)sum : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
