using System.Text;
using Glassbox.Gateway.Dialects.Anthropic;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.Tests.StreamObservation;

namespace Glassbox.Gateway.Tests.Dialects.Anthropic;

public sealed class AnthropicMessagesStreamObserverTests
{
    private static readonly Func<ResponseFacts, IResponseObserver> Create = f => new AnthropicMessagesStreamObserver(f);

    [Fact]
    public void OnBytes_TextStream_RecordsIdModelUsageStopReasonAndCompletion()
    {
        var facts = ObserverFeeding.FeedWhole(Create, Recordings.Load("anthropic-text.sse"));

        Assert.Equal("msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", facts.ResponseId);
        Assert.Equal("claude-opus-4-1-20250805", facts.ResponseModel);
        Assert.Equal(25, facts.InputTokens);
        Assert.Equal(15, facts.OutputTokens);
        Assert.Equal("end_turn", facts.FinishReason);
        Assert.Equal(2, facts.ContentChunks);
        Assert.True(facts.Completed);
        Assert.Null(facts.StreamErrorType);
        Assert.Null(facts.ObservationProblem);
    }

    [Fact]
    public void OnBytes_OneEventPerChunk_TimesContentDeltasFromTheirChunks()
    {
        // Events: message_start, block_start, ping, delta(3), delta(4), block_stop, message_delta, message_stop.
        var facts = ObserverFeeding.FeedEventPerChunk(Create, Recordings.Load("anthropic-text.sse"), i => 1_000 + (i * i * 10));

        Assert.Equal(2, facts.ContentChunks);
        Assert.Equal(1_090, facts.FirstContentTimestamp);
        Assert.Equal(1_160, facts.LastContentTimestamp);
        Assert.Equal(70, facts.MaxContentGapTicks);
    }

    [Fact]
    public void OnBytes_ThinkingSignatureToolAndUnknownDeltas_AllCountAsContent()
    {
        var facts = ObserverFeeding.FeedEventPerChunk(Create, Recordings.Load("anthropic-thinking-tools.sse"), i => i * 100L);

        // thinking_delta (3), signature_delta (5), input_json_delta (8), future_delta (10).
        // The input_json_delta sample is copied verbatim from the provider docs, stray closing brace included.
        Assert.Equal(4, facts.ContentChunks);
        Assert.Equal(300, facts.FirstContentTimestamp);
        Assert.Equal(300, facts.MaxContentGapTicks);
        Assert.Equal([200L, 300L, 200L], facts.ContentGapTicks.ToArray());
        Assert.True(facts.Completed);
        Assert.Null(facts.ObservationProblem);
    }

    [Fact]
    public void OnBytes_MessageStartWithOddWhitespace_ReadsIdModelAndFullUsage()
    {
        var firstEvent = ObserverFeeding.SplitEvents(Recordings.Load("anthropic-thinking-tools.sse"))[0];
        var facts = ObserverFeeding.FeedWhole(Create, firstEvent);

        Assert.Equal("msg_01UmHuUbjMReFq8wLxp1jJGx", facts.ResponseId);
        Assert.Equal("claude-haiku-4-5-20251001", facts.ResponseModel);
        Assert.Equal(41, facts.InputTokens);
        Assert.Equal(1, facts.OutputTokens);
        Assert.Equal(0, facts.CacheReadInputTokens);
        Assert.Equal(0, facts.CacheCreationInputTokens);
        Assert.Null(facts.FinishReason);
        Assert.Null(facts.ObservationProblem);
    }

    [Fact]
    public void OnBytes_RepeatedCumulativeMessageDelta_OverwritesUsageNeverSums()
    {
        var facts = ObserverFeeding.FeedWhole(Create, Recordings.Load("anthropic-thinking-tools.sse"));

        Assert.Equal(41, facts.InputTokens);
        Assert.Equal(600, facts.OutputTokens);
        Assert.Equal(1024, facts.CacheReadInputTokens);
        Assert.Equal(7, facts.CacheCreationInputTokens);
        Assert.Equal("tool_use", facts.FinishReason);
    }

    [Fact]
    public void OnBytes_MidStreamErrorEvent_RecordsStreamErrorAndNotCompleted()
    {
        var facts = ObserverFeeding.FeedWhole(Create, Recordings.Load("anthropic-error.sse"));

        Assert.Equal("overloaded_error", facts.StreamErrorType);
        Assert.Equal("Overloaded", facts.StreamErrorMessage);
        Assert.Equal(1, facts.ContentChunks);
        Assert.False(facts.Completed);
        Assert.Null(facts.ErrorBodyType);
    }

    [Fact]
    public void OnBytes_StreamCutInsideMessageDelta_KeepsPartialUsageAndIsNotCompleted()
    {
        var bytes = Recordings.Load("anthropic-text.sse");
        var cut = Encoding.UTF8.GetString(bytes).IndexOf("\"usage\": {\"output_tokens\": 15", StringComparison.Ordinal);

        // The connection broke: no OnEnd.
        var facts = ObserverFeeding.Feed(Create, [bytes[..cut]], end: false);

        Assert.Equal(25, facts.InputTokens);
        Assert.Equal(1, facts.OutputTokens);
        Assert.Null(facts.FinishReason);
        Assert.Equal(2, facts.ContentChunks);
        Assert.False(facts.Completed);
    }

    [Fact]
    public void OnEnd_StreamEndsInsideAnEvent_RecordsProblem()
    {
        var facts = ObserverFeeding.FeedWhole(Create, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n"u8.ToArray());

        Assert.False(facts.Completed);
        Assert.NotNull(facts.ObservationProblem);
    }

    [Fact]
    public void OnBytes_MalformedJson_RecordsProblemAndKeepsObserving()
    {
        var facts = ObserverFeeding.FeedWhole(
            Create,
            "event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"delta\": {\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8.ToArray());

        Assert.NotNull(facts.ObservationProblem);
        Assert.True(facts.Completed);
    }

    [Fact]
    public void OnBytes_DataWithoutTypeField_FallsBackToSseEventName()
    {
        var facts = ObserverFeeding.FeedWhole(Create, "event: content_block_delta\ndata: {}\n\nevent: message_stop\ndata: {}\n\n"u8.ToArray());

        Assert.Equal(1, facts.ContentChunks);
        Assert.True(facts.Completed);
    }

    [Fact]
    public void OnBytes_EscapedTypeValue_IsUnderstood()
    {
        var facts = ObserverFeeding.FeedWhole(Create, "data: {\"type\":\"message\\u005fstop\"}\n\n"u8.ToArray());

        Assert.True(facts.Completed);
    }

    [Theory]
    [InlineData("anthropic-text.sse")]
    [InlineData("anthropic-thinking-tools.sse")]
    [InlineData("anthropic-error.sse")]
    public void OnBytes_RecordingSplitAtEveryOffset_ProducesIdenticalFacts(string recording)
    {
        var facts = ObserverAssertions.AssertSameFactsAtEverySplit(Create, Recordings.Load(recording));

        Assert.NotNull(facts.ResponseId);
        Assert.Null(facts.ObservationProblem);
    }

    [Fact]
    public void OnBytes_CrLfFramedRecording_SameFactsAsLf()
    {
        var lf = Recordings.Load("anthropic-thinking-tools.sse");
        var crlf = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(lf).Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.Equal(
            FactsSnapshot.Of(ObserverFeeding.FeedWhole(Create, lf)),
            FactsSnapshot.Of(ObserverFeeding.FeedWhole(Create, crlf)));
    }
}
