using Glassbox.Gateway.Dialects.Anthropic;
using Glassbox.Gateway.Dialects.OpenAI.Chat;
using Glassbox.Gateway.Dialects.OpenAI.Responses;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.StreamObservation.Sse;

namespace Glassbox.Gateway.Tests.StreamObservation;

/// <summary>The tee feeds every chunk of every response: once warm, observing must not allocate per chunk.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void SseReaderFeed_WarmReader_AllocatesNothingPerChunk()
    {
        var bytes = Recordings.Load("anthropic-thinking-tools.sse");
        using var reader = new SseReader();
        var sink = new CountingSink();
        FeedInSmallChunks(reader, bytes, sink); // warm-up: buffers rented, code jitted

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            FeedInSmallChunks(reader, bytes, sink);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(21 * 14, sink.Count);
    }

    [Theory]
    [InlineData("anthropic-thinking-tools.sse")]
    [InlineData("openai-chat-text.sse")]
    [InlineData("openai-responses-text.sse")]
    public void ObserverOnBytes_RepeatedStream_AllocatesNoStringsAfterFirstPass(string recording)
    {
        var bytes = Recordings.Load(recording);
        var facts = new ResponseFacts();
        IResponseObserver observer = recording[0] == 'a'
            ? new AnthropicMessagesStreamObserver(facts)
            : recording.Contains("chat", StringComparison.Ordinal) ? new OpenAIChatStreamObserver(facts) : new OpenAIResponsesStreamObserver(facts);
        observer.OnBytes(bytes, 1);

        // Same id/model/finish reason again: the stored strings are kept, nothing new is allocated
        // (the content-gap array grows by doubling, so stay within its first 16 slots).
        var before = GC.GetAllocatedBytesForCurrentThread();
        observer.OnBytes(bytes, 2);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        ((IDisposable)observer).Dispose();

        Assert.Equal(0, allocated);
    }

    private static void FeedInSmallChunks(SseReader reader, byte[] bytes, CountingSink sink)
    {
        for (var at = 0; at < bytes.Length; at += 37)
        {
            reader.Feed(bytes.AsSpan(at, Math.Min(37, bytes.Length - at)), sink);
        }
    }

    private sealed class CountingSink : ISseEventSink
    {
        public int Count { get; private set; }

        public void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data) => Count++;
    }
}
