using System.Text;
using CsCheck;
using Glassbox.Gateway.StreamObservation.Sse;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.StreamObservation.Sse;

/// <summary>Properties of the SSE reader over generated hostile input (CsCheck; failures shrink to a minimal case).</summary>
public sealed class SseReaderProperties
{
    private static readonly byte[][] Seeds =
    [
        Recordings.Load("anthropic-thinking-tools.sse"),
        Recordings.Load("openai-chat-tools.sse"),
        Recordings.Load("openai-responses-text.sse"),
        "data: a\r\ndata: b\r\n\r\n:comment\revent: x\rdata: c\r\r"u8.ToArray(),
    ];

    [Fact]
    public void Feed_AnyBytesInAnyChunks_SameEventsAsFedWholeAndNeverThrows()
    {
        Gen.Select(HostileInput.MutatedOneOf(Seeds, 10), HostileInput.ChunkSizes, Gen.Int[16, 512]).Sample((bytes, sizes, cap) =>
        {
            var whole = Read([bytes], cap);
            var chunked = Read(HostileInput.Chunk(bytes, sizes), cap);

            Assert.Equal(whole, chunked);
        }, iter: 2000);
    }

    [Fact]
    public void Feed_LongLinesUnderASmallCap_AllocatesBoundedByTheCapNotTheInput()
    {
        Gen.Select(Gen.Byte.Array[64 * 1024, 256 * 1024], HostileInput.ChunkSizes).Sample((bytes, sizes) =>
        {
            const int cap = 1024;
            using var reader = new SseReader(cap);
            var sink = new CountingSink();
            var chunks = HostileInput.Chunk(bytes, sizes).ToList();
            var before = GC.GetAllocatedBytesForCurrentThread();
            foreach (var chunk in chunks)
            {
                reader.Feed(chunk, sink);
            }

            reader.Complete();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.True(allocated < 32 * cap, $"{allocated} bytes allocated for {bytes.Length} input bytes under a {cap} B cap");
        }, iter: 50);
    }

    private static List<(string Type, string Data)> Read(IEnumerable<byte[]> chunks, int cap)
    {
        using var reader = new SseReader(cap);
        var sink = new RecordingSink();
        foreach (var chunk in chunks)
        {
            reader.Feed(chunk, sink);
        }

        sink.Events.Add(("<pending>", reader.Complete().ToString()));
        return sink.Events;
    }

    private sealed class RecordingSink : ISseEventSink
    {
        public List<(string Type, string Data)> Events { get; } = [];

        public void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data) =>
            Events.Add((Encoding.UTF8.GetString(eventType), Convert.ToHexString(data)));
    }

    private sealed class CountingSink : ISseEventSink
    {
        public int Events { get; private set; }

        public void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data) => Events++;
    }
}
