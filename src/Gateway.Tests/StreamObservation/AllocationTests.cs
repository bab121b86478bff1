using Glassbox.Gateway.Dialects.Anthropic;
using Glassbox.Gateway.Dialects.Gemini;
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
    [InlineData("gemini-thinking.sse")]
    public void ObserverOnBytes_RepeatedStream_AllocatesNoStringsAfterFirstPass(string recording)
    {
        var bytes = Recordings.Load(recording);
        var facts = new ResponseFacts();
        IResponseObserver observer = recording[0] == 'a' ? new AnthropicMessagesStreamObserver(facts)
            : recording[0] == 'g' ? new GeminiStreamObserver(facts)
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

    [Fact]
    public void GeminiJsonArrayObserver_ElementsSplitAcrossChunks_AllocatesNothingOnceWarm()
    {
        const string element = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"word {\\\"x\\\"} \"}],\"role\": \"model\"},\"index\": 0}],"
            + "\"usageMetadata\": {\"promptTokenCount\": 25,\"totalTokenCount\": 25},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"r1\"}";
        var warm = System.Text.Encoding.UTF8.GetBytes("[" + element + "\r\n,\r\n" + element);
        var rest = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("\r\n,\r\n" + element, 12)));
        var facts = new ResponseFacts();
        using var observer = new GeminiJsonObserver(facts);
        for (var at = 0; at < warm.Length; at += 37)
        {
            observer.OnBytes(warm.AsSpan(at, Math.Min(37, warm.Length - at)), 1); // warm-up: id and model stored, buffer rented, gap array sized
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var at = 0; at < rest.Length; at += 37)
        {
            observer.OnBytes(rest.AsSpan(at, Math.Min(37, rest.Length - at)), 2);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(14, facts.ContentChunks);
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
