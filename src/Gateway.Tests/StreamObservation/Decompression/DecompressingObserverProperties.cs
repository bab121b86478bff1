using System.IO.Compression;
using CsCheck;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.StreamObservation.Decompression;
using Glassbox.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Glassbox.Gateway.Tests.StreamObservation.Decompression;

/// <summary>
/// Properties of the decompressing observer: compressed bytes in any chunks give the facts of the plain bytes,
/// and corrupt compressed bytes never throw out of the observer nor leave its decoding task running.
/// </summary>
public sealed class DecompressingObserverProperties
{
    private static readonly string[] Encodings = ["gzip", "deflate", "br"];

    /// <summary>Never advanced: the decoder stamps every chunk with the same time as the plain feed.</summary>
    private static readonly FakeTimeProvider Clock = new();

    [Fact]
    public void OnBytes_CompressedMutatedStreamInAnyChunks_SameFactsAsThePlainBytes()
    {
        var seed = Recordings.Load("anthropic-thinking-tools.sse");
        Gen.Select(HostileInput.Mutated(seed, 6), HostileInput.ChunkSizes, Gen.Int[0, 2]).Sample((plain, sizes, encoding) =>
        {
            var expected = FactsSnapshot.Of(ObserverFeeding.Feed(Observer, [plain], timestamp: Clock.GetTimestamp()));
            var facts = Decode(Encodings[encoding], Compress(Encodings[encoding], plain), sizes);

            Assert.Equal(expected, FactsSnapshot.Of(facts));
        }, iter: 150, threads: 1);
    }

    [Fact]
    public void OnBytes_CorruptCompressedBytes_NeverThrowsAndDecodingEnds()
    {
        var plain = Recordings.Load("anthropic-text.sse");
        var compressed = Encodings.Select(e => Compress(e, plain)).ToArray();
        Gen.Select(Gen.Int[0, 2], HostileInput.ChunkSizes).SelectMany((encoding, sizes) =>
            HostileInput.Mutated(compressed[encoding], 6).Select(bytes => (encoding, sizes, bytes))).Sample(t =>
        {
            // The property: no exception escapes, and the decoding task ends (asserted in Decode).
            Decode(Encodings[t.encoding], t.bytes, t.sizes);
        }, iter: 300, threads: 1);
    }

    private static IResponseObserver Observer(ResponseFacts facts) => ResponseObserverFactory.Create(ApiDialects.AnthropicMessages, isEventStream: true, facts)!;

    /// <summary>Feeds compressed chunks, ends the body and waits for the decoder (it must finish within 10 s).</summary>
    private static ResponseFacts Decode(string encoding, byte[] compressed, int[] sizes)
    {
        var facts = new ResponseFacts();
        var observer = DecompressingObserver.Create(encoding, Observer(facts), facts, Clock);
        foreach (var chunk in HostileInput.Chunk(compressed, sizes))
        {
            observer.OnBytes(chunk, ObserverFeeding.FixedTimestamp);
        }

        observer.OnEnd(ObserverFeeding.FixedTimestamp);
        Assert.True(observer.Completion.Wait(TimeSpan.FromSeconds(10)), "the decoding task did not finish");
        observer.Dispose();
        return facts;
    }

    private static byte[] Compress(string encoding, byte[] plain)
    {
        using var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
            "deflate" => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
            _ => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
        })
        {
            compressor.Write(plain);
        }

        return output.ToArray();
    }
}
