using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Tests.StreamObservation;

// Also compiled into fuzz/Gateway.Fuzz (linked), so the fuzz targets feed observers exactly as the tests do.

internal static class Recordings
{
    public static byte[] Load(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "StreamObservation", "Recordings", name));
}

/// <summary>Feeds bytes to an observer the way the tee does: chunks with arrival timestamps, then (maybe) EOF.</summary>
internal static class ObserverFeeding
{
    public const long FixedTimestamp = 1_000;

    public static ResponseFacts Feed(Func<ResponseFacts, IResponseObserver> create, IEnumerable<byte[]> chunks, bool end = true, long timestamp = FixedTimestamp)
    {
        var facts = new ResponseFacts();
        var observer = create(facts);
        try
        {
            foreach (var chunk in chunks)
            {
                observer.OnBytes(chunk, timestamp);
            }

            if (end)
            {
                observer.OnEnd(timestamp);
            }
        }
        finally
        {
            (observer as IDisposable)?.Dispose();
        }

        return facts;
    }

    public static ResponseFacts FeedWhole(Func<ResponseFacts, IResponseObserver> create, byte[] bytes, bool end = true) =>
        Feed(create, [bytes], end);

    /// <summary>One chunk per SSE event (split after each blank line), the i-th chunk arriving at <paramref name="timestamps"/>[i].</summary>
    public static ResponseFacts FeedEventPerChunk(Func<ResponseFacts, IResponseObserver> create, byte[] bytes, Func<int, long> timestamps)
    {
        var events = SplitEvents(bytes);
        var facts = new ResponseFacts();
        var observer = create(facts);
        try
        {
            for (var i = 0; i < events.Count; i++)
            {
                observer.OnBytes(events[i], timestamps(i));
            }

            observer.OnEnd(timestamps(events.Count));
        }
        finally
        {
            (observer as IDisposable)?.Dispose();
        }

        return facts;
    }

    /// <summary>Splits a recording into one piece per event, each ending with its blank line.</summary>
    public static List<byte[]> SplitEvents(byte[] bytes)
    {
        var pieces = new List<byte[]>();
        var start = 0;
        for (var i = 0; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n' && bytes[i + 1] == (byte)'\n')
            {
                pieces.Add(bytes[start..(i + 2)]);
                start = i + 2;
                i++;
            }
        }

        if (start < bytes.Length)
        {
            pieces.Add(bytes[start..]);
        }

        return pieces;
    }
}
