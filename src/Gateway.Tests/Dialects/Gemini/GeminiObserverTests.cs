using System.Text;
using Glassbox.Gateway.Dialects.Gemini;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.Tests.StreamObservation;

namespace Glassbox.Gateway.Tests.Dialects.Gemini;

/// <summary>The Gemini observers read the facts of a response however it arrives: SSE, the JSON-array stream, or one body.</summary>
public sealed class GeminiObserverTests
{
    private static readonly Func<ResponseFacts, IResponseObserver> Sse = f => new GeminiStreamObserver(f);
    private static readonly Func<ResponseFacts, IResponseObserver> Json = f => new GeminiJsonObserver(f);

    [Fact]
    public void OnBytes_ThinkingStream_RecordsIdModelUsageFinishAndEveryContentChunk()
    {
        var facts = ObserverFeeding.FeedWhole(Sse, Recordings.Load("gemini-thinking.sse"));

        Assert.Equal("rec1", facts.ResponseId);
        Assert.Equal("gemini-2.5-flash", facts.ResponseModel);
        Assert.Equal("STOP", facts.FinishReason);
        Assert.Equal(25, facts.InputTokens);
        Assert.Equal(2, facts.OutputTokens);
        Assert.Equal(6, facts.ReasoningOutputTokens);
        Assert.Equal(4, facts.CacheReadInputTokens);
        Assert.Equal(3, facts.ToolUsePromptTokens);
        Assert.Equal(4, facts.ContentChunks); // two thought chunks, two text chunks
        Assert.True(facts.Completed);
        Assert.Null(facts.ObservationProblem);
    }

    [Fact]
    public void OnBytes_EventPerChunk_TtftAtTheFirstPartWithContentNotAtAMetadataOnlyChunk()
    {
        const string metadataOnly = "data: {\"usageMetadata\": {\"promptTokenCount\": 9},\"modelVersion\": \"m\"}\r\n\r\n";
        const string emptyText = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"\"}],\"role\": \"model\"}}]}\r\n\r\n";
        const string text = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"hi\"}],\"role\": \"model\"}}]}\r\n\r\n";
        const string call = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"functionCall\": {\"name\": \"f\",\"args\": {}}}]},\"finishReason\": \"STOP\"}]}\r\n\r\n";
        var facts = new ResponseFacts();
        using var observer = new GeminiStreamObserver(facts);

        observer.OnBytes(Encoding.UTF8.GetBytes(metadataOnly), 10);
        observer.OnBytes(Encoding.UTF8.GetBytes(emptyText), 20);
        observer.OnBytes(Encoding.UTF8.GetBytes(text), 30);
        observer.OnBytes(Encoding.UTF8.GetBytes(call), 40);
        observer.OnEnd(50);

        Assert.Equal(30, facts.FirstContentTimestamp);
        Assert.Equal(40, facts.LastContentTimestamp);
        Assert.Equal(2, facts.ContentChunks);
        Assert.True(facts.Completed);
    }

    [Fact]
    public void OnBytes_UsageMetadataOfTheLastChunk_ReplacesEarlierCountsAbsentOnesStayAbsent()
    {
        const string first = "data: {\"usageMetadata\": {\"promptTokenCount\": 9,\"thoughtsTokenCount\": 5}}\r\n\r\n";
        const string last = "data: {\"candidates\": [{\"finishReason\": \"MAX_TOKENS\"}],\"usageMetadata\": {\"promptTokenCount\": 9,\"candidatesTokenCount\": 3}}\r\n\r\n";

        var facts = ObserverFeeding.FeedWhole(Sse, Encoding.UTF8.GetBytes(first + last));

        Assert.Equal(9, facts.InputTokens);
        Assert.Equal(3, facts.OutputTokens);
        Assert.Null(facts.ReasoningOutputTokens);
        Assert.Null(facts.CacheReadInputTokens);
        Assert.Equal("MAX_TOKENS", facts.FinishReason);
    }

    [Fact]
    public void OnBytes_ErrorChunk_StreamErrorWithStatusAndMessageAndNotComplete()
    {
        var facts = ObserverFeeding.FeedWhole(Sse, Recordings.Load("gemini-error.sse"));

        Assert.Equal("UNAVAILABLE", facts.StreamErrorType);
        Assert.Equal("The model is overloaded. Please try again later.", facts.StreamErrorMessage);
        Assert.Equal(1, facts.ContentChunks);
        Assert.False(facts.Completed);
    }

    [Fact]
    public void OnEnd_StreamWithoutFinishReason_NotComplete()
    {
        var events = Recordings.Load("gemini-thinking.sse");
        var cut = Encoding.UTF8.GetString(events);
        cut = cut[..cut.LastIndexOf("data: ", StringComparison.Ordinal)];

        var facts = ObserverFeeding.FeedWhole(Sse, Encoding.UTF8.GetBytes(cut));

        Assert.False(facts.Completed);
        Assert.Null(facts.FinishReason);
    }

    [Theory]
    [InlineData("gemini-thinking.sse")]
    [InlineData("gemini-tools.sse")]
    [InlineData("gemini-error.sse")]
    public void OnBytes_SseSplitAtEveryOffset_SameFacts(string recording)
    {
        ObserverAssertions.AssertSameFactsAtEverySplit(Sse, Recordings.Load(recording));
    }

    [Fact]
    public void OnBytes_JsonArrayElementPerChunk_EachElementTimedWhenItCloses()
    {
        var bytes = Recordings.Load("gemini-text-array.json");
        var text = Encoding.UTF8.GetString(bytes);
        var second = text.IndexOf("\r\n,\r\n", StringComparison.Ordinal);
        var third = text.IndexOf("\r\n,\r\n", second + 1, StringComparison.Ordinal);
        var facts = new ResponseFacts();
        using var observer = new GeminiJsonObserver(facts);

        observer.OnBytes(bytes.AsSpan(0, second), 100);
        observer.OnBytes(bytes.AsSpan(second, third - second), 200);
        observer.OnBytes(bytes.AsSpan(third), 300);
        observer.OnEnd(400);

        Assert.Equal(100, facts.FirstContentTimestamp);
        Assert.Equal(300, facts.LastContentTimestamp);
        Assert.Equal(3, facts.ContentChunks);
        Assert.Equal("rec4", facts.ResponseId);
        Assert.Equal(3, facts.OutputTokens);
        Assert.Equal(2, facts.ReasoningOutputTokens);
        Assert.True(facts.Completed);
        Assert.Null(facts.ObservationProblem);
    }

    [Theory]
    [InlineData("gemini-text-array.json")]
    [InlineData("gemini-blocked-array.json")]
    public void OnBytes_JsonArraySplitAtEveryOffset_SameFacts(string recording)
    {
        var facts = ObserverAssertions.AssertSameFactsAtEverySplit(Json, Recordings.Load(recording));

        Assert.True(facts.Completed);
    }

    [Fact]
    public void OnBytes_BlockedPrompt_BlockReasonIsTheFinishReasonWithoutContent()
    {
        var facts = ObserverFeeding.FeedWhole(Json, Recordings.Load("gemini-blocked-array.json"));

        Assert.Equal("SAFETY", facts.FinishReason);
        Assert.Equal(0, facts.ContentChunks);
        Assert.Equal(25, facts.InputTokens);
        Assert.True(facts.Completed);
    }

    [Fact]
    public void OnEnd_JsonArrayNotClosed_NotCompleteAndAProblem()
    {
        var bytes = Recordings.Load("gemini-text-array.json");

        var facts = ObserverFeeding.FeedWhole(Json, bytes[..^3]);

        Assert.False(facts.Completed);
        Assert.NotNull(facts.ObservationProblem);
        Assert.Equal(3, facts.ContentChunks); // the three elements were whole
    }

    [Fact]
    public void OnBytes_WholeBody_NoContentTimingAndErrorWithRetryDelay()
    {
        const string body = """
            {
              "error": {
                "code": 429,
                "message": "You exceeded your current quota {\"not\": [\"a brace\"]}",
                "status": "RESOURCE_EXHAUSTED",
                "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "30s"}]
              }
            }
            """;

        var facts = ObserverAssertions.AssertSameFactsAtEverySplit(Json, Encoding.UTF8.GetBytes(body));

        Assert.Equal("RESOURCE_EXHAUSTED", facts.ErrorBodyType);
        Assert.Equal("You exceeded your current quota {\"not\": [\"a brace\"]}", facts.ErrorBodyMessage);
        Assert.Equal("30s", facts.ErrorRetryAfter);
        Assert.Null(facts.StreamErrorType);
        Assert.True(facts.Completed);
    }

    [Fact]
    public void OnBytes_ElementOverTheCap_SkippedWithAProblemTheNextOnesStillRead()
    {
        var big = new string('x', 5000);
        var json = $$$"""[{"candidates":[{"content":{"parts":[{"text":"{{{big}}}"}]}}]},{"candidates":[{"content":{"parts":[{"text":"b"}]},"finishReason":"STOP"}],"usageMetadata":{"candidatesTokenCount":2}}]""";
        var facts = new ResponseFacts();
        using var observer = new GeminiJsonObserver(facts, maxDocumentBytes: 1024);

        foreach (var chunk in Encoding.UTF8.GetBytes(json).Chunk(100))
        {
            observer.OnBytes(chunk, 1);
        }

        observer.OnEnd(2);

        Assert.NotNull(facts.ObservationProblem);
        Assert.Equal(1, facts.ContentChunks);
        Assert.Equal(2, facts.OutputTokens);
        Assert.True(facts.Completed);
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("]]]]")]
    [InlineData("[{\"candidates\": [}]")]
    public void OnBytes_NotGeminiJson_ProblemNeverAnException(string body)
    {
        var facts = ObserverFeeding.FeedWhole(Json, Encoding.UTF8.GetBytes(body));

        Assert.NotNull(facts.ObservationProblem);
        Assert.False(facts.Completed);
    }

    [Fact]
    public void OnBytes_ContentCaptureOn_TextWithoutTheThoughts()
    {
        var facts = new ResponseFacts { Output = new OutputCapture(1000) };
        using (var observer = new GeminiStreamObserver(facts))
        {
            observer.OnBytes(Recordings.Load("gemini-thinking.sse"), 1);
            observer.OnEnd(2);
        }

        Assert.Equal("word0 word1 ", facts.Output.Text);
    }
}
