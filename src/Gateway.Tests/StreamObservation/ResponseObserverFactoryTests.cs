using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.StreamObservation.Anthropic;
using Glassbox.Gateway.StreamObservation.OpenAI;

namespace Glassbox.Gateway.Tests.StreamObservation;

public sealed class ResponseObserverFactoryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Create_DialectNone_ReturnsNull(bool isEventStream)
    {
        Assert.Null(ResponseObserverFactory.Create(ApiDialect.None, isEventStream, new ResponseFacts()));
    }

    [Theory]
    [InlineData((int)ApiDialect.AnthropicMessages, true, typeof(AnthropicMessagesStreamObserver))]
    [InlineData((int)ApiDialect.OpenAIChatCompletions, true, typeof(OpenAIChatStreamObserver))]
    [InlineData((int)ApiDialect.OpenAIResponses, true, typeof(OpenAIResponsesStreamObserver))]
    [InlineData((int)ApiDialect.AnthropicMessages, false, typeof(JsonBodyObserver))]
    [InlineData((int)ApiDialect.OpenAIChatCompletions, false, typeof(JsonBodyObserver))]
    [InlineData((int)ApiDialect.OpenAIResponses, false, typeof(JsonBodyObserver))]
    public void Create_DialectAndContentType_PicksDisposableObserver(int dialectValue, bool isEventStream, Type expected)
    {
        var dialect = (ApiDialect)dialectValue;
        var observer = ResponseObserverFactory.Create(dialect, isEventStream, new ResponseFacts());

        Assert.IsType(expected, observer);
        Assert.IsAssignableFrom<IDisposable>(observer);
        ((IDisposable)observer!).Dispose();
    }

    [Fact]
    public void Create_StreamingObserver_WritesTheGivenFacts()
    {
        var facts = new ResponseFacts();
        var observer = ResponseObserverFactory.Create(ApiDialect.OpenAIChatCompletions, isEventStream: true, facts)!;
        observer.OnBytes("data: [DONE]\n\n"u8, 1);
        observer.OnEnd(2);
        ((IDisposable)observer).Dispose();

        Assert.True(facts.Completed);
    }
}
