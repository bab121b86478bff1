using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.StreamObservation.Decompression;
using Glassbox.Gateway.Tests.StreamObservation;
using Microsoft.Extensions.Time.Testing;

namespace Glassbox.Gateway.Fuzz.Targets;

/// <summary>
/// The decompressing observer over an Anthropic stream observer. The first input byte picks the encoding (gzip,
/// deflate, br), the rest is the compressed body. Never throws; the decoding task always ends; when neither run hit a
/// limit (a recorded observation problem, which can depend on how fast the decoder ran), the facts are the same
/// whole or chunked.
/// </summary>
internal static class DecompressionTarget
{
    public static readonly string[] Encodings = ["gzip", "deflate", "br"];
    private static readonly FakeTimeProvider Clock = new();

    public static void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var encoding = Encodings[input[0] % Encodings.Length];
        var body = input[1..];
        var whole = Decode(encoding, [body]);
        var chunked = Decode(encoding, Chunking.Cut(body));
        if (whole.ObservationProblem is null && chunked.ObservationProblem is null)
        {
            Invariant.Holds(whole == chunked, $"{encoding}: chunked gave {chunked}, whole gave {whole}");
        }
    }

    private static FactsSnapshot Decode(string encoding, IEnumerable<byte[]> chunks)
    {
        var facts = new ResponseFacts();
        var inner = ResponseObserverFactory.Create(ApiDialects.AnthropicMessages, isEventStream: true, facts)!;
        var observer = DecompressingObserver.Create(encoding, inner, facts, Clock);
        foreach (var chunk in chunks)
        {
            observer.OnBytes(chunk, 1_000);
        }

        observer.OnEnd(1_000);
        Invariant.Holds(observer.Completion.Wait(TimeSpan.FromSeconds(10)), $"{encoding}: the decoding task did not end within 10 s");
        observer.Dispose();
        return FactsSnapshot.Of(facts);
    }
}
