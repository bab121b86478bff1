using System.IO.Compression;
using System.Security.Cryptography;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.StreamObservation.Decompression;
using Glassbox.SimulatedUpstream.Hostile;
using Microsoft.Extensions.Time.Testing;

namespace Glassbox.Gateway.Tests.StreamObservation.Decompression;

/// <summary>A compressed side copy costs bounded CPU and memory whatever it inflates to.</summary>
public sealed class DecompressionLimitsTests
{
    private const int DocumentCap = 64 * 1024;
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task OnBytes_GzipBomb_StopsInflatingAtTheCapAndRecordsAProblem()
    {
        using var bomb = new MemoryStream();
        await GzipBomb.WriteAsync(bomb, 4 * GzipBomb.MemberInflatedBytes, CancellationToken.None); // 256 MiB inflated from ~256 KB
        var facts = new ResponseFacts();
        var inner = new CountingObserver();
        var observer = DecompressingObserver.Create("gzip", inner, facts, _time, DocumentCap);

        foreach (var chunk in bomb.ToArray().Chunk(16 * 1024))
        {
            observer.OnBytes(chunk, _time.GetTimestamp());
            await Task.Yield();
        }

        observer.OnEnd(_time.GetTimestamp());
        await observer.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        observer.Dispose();

        var cap = (long)DocumentCap * ObservationLimits.InflationFactor;
        Assert.Contains($"inflated past {cap} bytes", facts.ObservationProblem, StringComparison.Ordinal);
        Assert.InRange(inner.Bytes, cap - (64 * 1024), cap);
        Assert.False(inner.Ended);
    }

    [Fact]
    public async Task OnBytes_MoreCompressedBytesThanTheDecoderBacklog_GivesUpAndRecordsAProblem()
    {
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(RandomNumberGenerator.GetBytes(4 * DocumentCap)); // incompressible: more compressed bytes than the backlog cap
        }

        var facts = new ResponseFacts();
        var observer = DecompressingObserver.Create("gzip", new JsonBodyObserver(ApiDialects.AnthropicMessages, facts, DocumentCap), facts, _time, DocumentCap);

        observer.OnBytes(compressed.ToArray(), _time.GetTimestamp()); // one read larger than the backlog: nothing can have been decoded yet
        observer.OnEnd(_time.GetTimestamp());
        await observer.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        observer.Dispose();

        Assert.Contains("decoder fell more than", facts.ObservationProblem, StringComparison.Ordinal);
    }

    /// <summary>An inner observer that only counts what the decoder hands it.</summary>
    private sealed class CountingObserver : IResponseObserver
    {
        public long Bytes { get; private set; }
        public bool Ended { get; private set; }
        public void OnBytes(ReadOnlySpan<byte> chunk, long timestamp) => Bytes += chunk.Length;
        public void OnEnd(long timestamp) => Ended = true;
    }
}
