using Glassbox.Gateway.StreamObservation.Sse;

namespace Glassbox.Gateway.Fuzz.Targets;

/// <summary>The SSE reader: the same events whole or chunked; allocations bounded by the event cap, not the input.</summary>
internal static class SseReaderTarget
{
    public static void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var cap = 16 + (input[0] * 4); // 16 B to 1 KB: small caps reach the over-cap paths
        var before = GC.GetAllocatedBytesForCurrentThread();
        var whole = Read([input], cap);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var chunked = Read(Chunking.Cut(input), cap);

        Invariant.Holds(whole == chunked, $"chunked events {chunked} differ from whole {whole}");
        Invariant.Holds(allocated < (32 * cap) + 4096, $"{allocated} B allocated reading {input.Length} B under a {cap} B cap");
    }

    private static (long Events, ulong Hash, bool Pending) Read(IEnumerable<byte[]> chunks, int cap)
    {
        using var reader = new SseReader(cap);
        var sink = new HashingSink();
        foreach (var chunk in chunks)
        {
            reader.Feed(chunk, sink);
        }

        var pending = reader.Complete();
        return (sink.Events, sink.Hash, pending);
    }

    /// <summary>Counts and hashes the events (type and data, FNV-1a) without allocating.</summary>
    private sealed class HashingSink : ISseEventSink
    {
        public long Events { get; private set; }
        public ulong Hash { get; private set; } = 14695981039346656037;

        public void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data)
        {
            Events++;
            Mix(eventType);
            Mix([0xFF]);
            Mix(data);
            Mix([0xFE]);
        }

        private void Mix(ReadOnlySpan<byte> bytes)
        {
            var hash = Hash;
            foreach (var b in bytes)
            {
                hash = (hash ^ b) * 1099511628211;
            }

            Hash = hash;
        }
    }
}
