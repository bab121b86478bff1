using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Dialects.Anthropic;
using Glassbox.Gateway.Dialects.OpenAI.Chat;
using Glassbox.Gateway.Dialects.OpenAI.Responses;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Tests.StreamObservation;

/// <summary>The observer the gateway picks for a response understands that response: a wrong pick would lose its usage.</summary>
public sealed class ResponseObserverFactoryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Create_DialectNone_ReturnsNull(bool isEventStream)
    {
        Assert.Null(ResponseObserverFactory.Create(null, isEventStream, new ResponseFacts()));
    }

    /// <summary>Each dialect's own body, streamed or whole, with the input tokens it reports.</summary>
    public static TheoryData<string, bool, string, long> Bodies() => new()
    {
        { "AnthropicMessages", true, "recording:anthropic-text.sse", 0 },
        { "OpenAIChatCompletions", true, "recording:openai-chat-text.sse", 0 },
        { "OpenAIResponses", true, "recording:openai-responses-text.sse", 0 },
        { "AnthropicMessages", false, """{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":"end_turn","usage":{"input_tokens":12,"output_tokens":6}}""", 12 },
        { "OpenAIChatCompletions", false, """{"id":"c1","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29}}""", 19 },
        { "OpenAIResponses", false, """{"id":"resp_1","object":"response","status":"completed","model":"m","output":[],"usage":{"input_tokens":36,"output_tokens":87,"total_tokens":123}}""", 36 },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Create_DialectAndContentType_TheObserverUnderstandsThatDialectsBody(string dialectValue, bool isEventStream, string body, long inputTokens)
    {
        var facts = new ResponseFacts();
        var bytes = body.StartsWith("recording:", StringComparison.Ordinal) ? Recordings.Load(body["recording:".Length..]) : System.Text.Encoding.UTF8.GetBytes(body);
        var observer = ResponseObserverFactory.Create(ApiDialects.ByName(dialectValue), isEventStream, facts)!;

        observer.OnBytes(bytes, 1);
        observer.OnEnd(2);
        ((IDisposable)observer).Dispose();

        Assert.True(facts.Completed);
        Assert.NotNull(facts.InputTokens);
        if (inputTokens > 0)
        {
            Assert.Equal(inputTokens, facts.InputTokens);
        }
    }

    [Fact]
    public void Create_StreamOfAnotherDialect_NotUnderstoodAsComplete()
    {
        var facts = new ResponseFacts();
        var observer = ResponseObserverFactory.Create(ApiDialects.OpenAIChatCompletions, isEventStream: true, facts)!;

        observer.OnBytes(Recordings.Load("anthropic-text.sse"), 1);
        observer.OnEnd(2);
        ((IDisposable)observer).Dispose();

        Assert.False(facts.Completed);
    }

    [Fact]
    public void Create_StreamingObserver_WritesTheGivenFacts()
    {
        var facts = new ResponseFacts();
        var observer = ResponseObserverFactory.Create(ApiDialects.OpenAIChatCompletions, isEventStream: true, facts)!;
        observer.OnBytes("data: [DONE]\n\n"u8, 1);
        observer.OnEnd(2);
        ((IDisposable)observer).Dispose();

        Assert.True(facts.Completed);
    }
}
