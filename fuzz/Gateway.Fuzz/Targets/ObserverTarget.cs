using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.Tests.StreamObservation;

namespace Glassbox.Gateway.Fuzz.Targets;

/// <summary>
/// A dialect's stream observer or the JSON body observer: nothing thrown out of the observer, the same facts whole or
/// chunked (ended or cut, decided by the input's length), allocations bounded by the document cap plus the input.
/// </summary>
internal static class ObserverTarget
{
    private const int Cap = 2048;
    private const long Timestamp = 1_000;

    public static void Run(IApiDialect dialect, bool isEventStream, byte[] input)
    {
        var end = input.Length % 2 == 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var whole = FactsSnapshot.Of(Feed(dialect, isEventStream, [input], end));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var chunked = FactsSnapshot.Of(Feed(dialect, isEventStream, Chunking.Cut(input), end));

        Invariant.Holds(whole == chunked, $"{dialect.Name} (event stream: {isEventStream}): chunked gave {chunked}, whole gave {whole}");
        // What an observer keeps is strings taken from the input (ids, model, error text) and a document buffer up to the cap.
        Invariant.Holds(allocated < (64 * Cap) + (16L * input.Length), $"{allocated} B allocated observing {input.Length} B under a {Cap} B cap");
    }

    private static ResponseFacts Feed(IApiDialect dialect, bool isEventStream, IEnumerable<byte[]> chunks, bool end) =>
        ObserverFeeding.Feed(facts => ResponseObserverFactory.Create(dialect, isEventStream, facts, Cap)!, chunks, end, Timestamp);
}
