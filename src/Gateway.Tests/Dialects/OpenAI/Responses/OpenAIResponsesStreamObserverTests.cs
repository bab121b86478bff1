using System.Text;
using Glassbox.Gateway.Dialects.OpenAI.Responses;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.Tests.StreamObservation;

namespace Glassbox.Gateway.Tests.Dialects.OpenAI.Responses;

public sealed class OpenAIResponsesStreamObserverTests
{
    private static readonly Func<ResponseFacts, IResponseObserver> Create = f => new OpenAIResponsesStreamObserver(f);

    [Fact]
    public void OnBytes_CompletedStream_RecordsIdModelUsageAndCompletion()
    {
        var facts = ObserverFeeding.FeedWhole(Create, Recordings.Load("openai-responses-text.sse"));

        Assert.Equal("resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654", facts.ResponseId);
        Assert.Equal("gpt-4.1-2025-04-14", facts.ResponseModel);
        Assert.Equal("completed", facts.FinishReason);
        Assert.Equal(37, facts.InputTokens);
        Assert.Equal(11, facts.OutputTokens);
        Assert.Equal(5, facts.CacheReadInputTokens);
        Assert.Equal(3, facts.ReasoningOutputTokens);
        Assert.Equal(2, facts.ContentChunks);
        Assert.True(facts.Completed);
        Assert.Null(facts.StreamErrorType);
        Assert.Null(facts.ObservationProblem);
    }

    [Fact]
    public void OnBytes_OneEventPerChunk_TimesOutputTextDeltas()
    {
        // Deltas are events 4 and 5.
        var facts = ObserverFeeding.FeedEventPerChunk(Create, Recordings.Load("openai-responses-text.sse"), i => 1_000 + (i * i * 10));

        Assert.Equal(2, facts.ContentChunks);
        Assert.Equal(1_160, facts.FirstContentTimestamp);
        Assert.Equal(90, facts.MaxContentGapTicks);
    }

    [Fact]
    public void OnBytes_ReasoningToolAndRefusalDeltas_CountAsContentAndIncompleteReasonKept()
    {
        var facts = ObserverFeeding.FeedWhole(Create, Recordings.Load("openai-responses-tools-incomplete.sse"));

        Assert.Equal(5, facts.ContentChunks);
        Assert.True(facts.Completed);
        Assert.Equal("max_output_tokens", facts.FinishReason);
        Assert.Equal(100, facts.InputTokens);
        Assert.Equal(64, facts.OutputTokens);
        Assert.Equal(0, facts.CacheReadInputTokens);
        Assert.Equal(40, facts.ReasoningOutputTokens);
        Assert.Equal("o4-mini", facts.ResponseModel);
        Assert.Null(facts.ObservationProblem);
    }

    [Fact]
    public void OnBytes_IncompleteWithoutReason_FinishReasonIsIncomplete()
    {
        var facts = ObserverFeeding.FeedWhole(
            Create,
            "event: response.incomplete\ndata: {\"type\":\"response.incomplete\",\"response\":{\"id\":\"r\",\"status\":\"incomplete\",\"incomplete_details\":null}}\n\n"u8.ToArray());

        Assert.Equal("incomplete", facts.FinishReason);
        Assert.True(facts.Completed);
    }

    [Fact]
    public void OnBytes_ResponseFailed_RecordsStreamErrorAndFailedFinish()
    {
        var facts = ObserverFeeding.FeedWhole(Create, Recordings.Load("openai-responses-failed.sse"));

        Assert.True(facts.Completed);
        Assert.Equal("failed", facts.FinishReason);
        Assert.Equal("server_error", facts.StreamErrorType);
        Assert.Equal("The model failed to generate a response.", facts.StreamErrorMessage);
        Assert.Equal(1, facts.ContentChunks);
        Assert.Null(facts.InputTokens);
    }

    [Fact]
    public void OnBytes_ErrorEvent_RecordsStreamError()
    {
        var facts = ObserverFeeding.FeedWhole(Create, Recordings.Load("openai-responses-error.sse"));

        Assert.Equal("ERR_SOMETHING", facts.StreamErrorType);
        Assert.Equal("Something went wrong", facts.StreamErrorMessage);
        Assert.Equal("resp_err", facts.ResponseId);
        Assert.False(facts.Completed);
    }

    [Fact]
    public void OnBytes_StreamCutInsideCompletedEvent_KeepsIdAndIsNotCompleted()
    {
        var bytes = Recordings.Load("openai-responses-text.sse");
        var cut = Encoding.UTF8.GetString(bytes).IndexOf("\"input_tokens\":37", StringComparison.Ordinal);

        var facts = ObserverFeeding.Feed(Create, [bytes[..cut]], end: false);

        Assert.Equal("resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654", facts.ResponseId);
        Assert.Equal(2, facts.ContentChunks);
        Assert.Null(facts.InputTokens);
        Assert.Null(facts.FinishReason);
        Assert.False(facts.Completed);
    }

    [Fact]
    public void OnBytes_MalformedJson_RecordsProblemWithoutThrowing()
    {
        var facts = ObserverFeeding.FeedWhole(Create, "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"a\n\n"u8.ToArray());

        Assert.NotNull(facts.ObservationProblem);
        Assert.Equal(0, facts.ContentChunks);
    }

    [Theory]
    [InlineData("openai-responses-text.sse")]
    [InlineData("openai-responses-tools-incomplete.sse")]
    [InlineData("openai-responses-failed.sse")]
    [InlineData("openai-responses-error.sse")]
    public void OnBytes_RecordingSplitAtEveryOffset_ProducesIdenticalFacts(string recording)
    {
        var facts = ObserverAssertions.AssertSameFactsAtEverySplit(Create, Recordings.Load(recording));

        Assert.NotNull(facts.ResponseId);
        Assert.Null(facts.ObservationProblem);
    }
}
