using System.Text;
using Glassbox.Gateway.Dialects.OpenAI.Chat;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.Tests.StreamObservation;

namespace Glassbox.Gateway.Tests.Dialects.OpenAI.Chat;

public sealed class OpenAIChatStreamObserverTests
{
    private static readonly Func<ResponseFacts, IResponseObserver> Create = f => new OpenAIChatStreamObserver(f);

    [Fact]
    public void OnBytes_TextStreamWithIncludeUsage_RecordsUsageDetailsFinishAndDone()
    {
        var facts = ObserverFeeding.FeedWhole(Create, Recordings.Load("openai-chat-text.sse"));

        Assert.Equal("chatcmpl-9nhARrdUiJWEMd5plwV1Gc9NCjb9M", facts.ResponseId);
        Assert.Equal("gpt-4o-2024-05-13", facts.ResponseModel);
        Assert.Equal("stop", facts.FinishReason);
        Assert.Equal(14, facts.InputTokens);
        Assert.Equal(3, facts.OutputTokens);
        Assert.Equal(4, facts.CacheReadInputTokens);
        Assert.Equal(2, facts.ReasoningOutputTokens);
        Assert.Null(facts.CacheCreationInputTokens);
        Assert.True(facts.Completed);
        Assert.Null(facts.ObservationProblem);
    }

    [Fact]
    public void OnBytes_RoleChunkWithEmptyContent_IsNotContent()
    {
        // Chunk 0 is {"role":"assistant","content":""}; chunks 1-3 carry text; 4 is finish, 5 usage, 6 [DONE].
        var facts = ObserverFeeding.FeedEventPerChunk(Create, Recordings.Load("openai-chat-text.sse"), i => 1_000 + (i * i * 10));

        Assert.Equal(3, facts.ContentChunks);
        Assert.Equal(1_010, facts.FirstContentTimestamp);
        Assert.Equal(1_090, facts.LastContentTimestamp);
        Assert.Equal(50, facts.MaxContentGapTicks);
    }

    [Fact]
    public void OnBytes_ToolCallAndReasoningDeltas_CountAsContent()
    {
        var facts = ObserverFeeding.FeedWhole(Create, Recordings.Load("openai-chat-tools.sse"));

        // Tool name, two argument pieces, reasoning_content; the empty-arguments delta does not count.
        Assert.Equal(4, facts.ContentChunks);
        Assert.Equal("tool_calls", facts.FinishReason);
        Assert.Equal("gpt-4o-mini", facts.ResponseModel);
        Assert.Null(facts.InputTokens);
        Assert.True(facts.Completed);
    }

    [Fact]
    public void OnBytes_StreamCutBeforeUsageChunk_HasNoUsageAndIsNotCompleted()
    {
        var bytes = Recordings.Load("openai-chat-text.sse");
        var cut = Encoding.UTF8.GetString(bytes).IndexOf("\"choices\":[],", StringComparison.Ordinal);

        var facts = ObserverFeeding.Feed(Create, [bytes[..cut]], end: false);

        Assert.Equal("stop", facts.FinishReason);
        Assert.Equal(3, facts.ContentChunks);
        Assert.Null(facts.InputTokens);
        Assert.Null(facts.OutputTokens);
        Assert.False(facts.Completed);
    }

    [Fact]
    public void OnBytes_ErrorChunk_RecordsStreamError()
    {
        var facts = ObserverFeeding.FeedWhole(Create, Recordings.Load("openai-chat-error.sse"));

        Assert.Equal("server_error", facts.StreamErrorType);
        Assert.Equal("The server had an error while processing your request.", facts.StreamErrorMessage);
        Assert.Equal(1, facts.ContentChunks);
        Assert.False(facts.Completed);
    }

    [Fact]
    public void OnBytes_DoneSentinel_MarksCompleted()
    {
        var facts = ObserverFeeding.FeedWhole(Create, "data: [DONE]\n\n"u8.ToArray());

        Assert.True(facts.Completed);
        Assert.Null(facts.ObservationProblem);
    }

    [Fact]
    public void OnBytes_OddWhitespaceAndFieldOrder_StillParsed()
    {
        var facts = ObserverFeeding.FeedWhole(
            Create,
            "data:   {  \"choices\" : [ { \"finish_reason\" : null , \"delta\" : { \"content\" : \"x\" } } ] ,\ndata:  \"model\":\"m\" , \"id\" : \"c1\" }  \n\n"u8.ToArray());

        Assert.Equal("c1", facts.ResponseId);
        Assert.Equal("m", facts.ResponseModel);
        Assert.Equal(1, facts.ContentChunks);
        Assert.Null(facts.ObservationProblem);
    }

    [Fact]
    public void OnBytes_MalformedJson_RecordsProblemWithoutThrowing()
    {
        var facts = ObserverFeeding.FeedWhole(Create, "data: {\"id\":\"c\",\"choices\":[{\"delta\":\n\ndata: [DONE]\n\n"u8.ToArray());

        Assert.NotNull(facts.ObservationProblem);
        Assert.True(facts.Completed);
    }

    [Theory]
    [InlineData("openai-chat-text.sse")]
    [InlineData("openai-chat-tools.sse")]
    [InlineData("openai-chat-error.sse")]
    public void OnBytes_RecordingSplitAtEveryOffset_ProducesIdenticalFacts(string recording)
    {
        var facts = ObserverAssertions.AssertSameFactsAtEverySplit(Create, Recordings.Load(recording));

        Assert.NotNull(facts.ResponseId);
        Assert.Null(facts.ObservationProblem);
    }
}
