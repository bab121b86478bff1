using System.Text;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Tests.StreamObservation;

public sealed class JsonBodyObserverTests
{
    private const string AnthropicMessage = """
        {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
         "content":[{"type":"text","text":"Hello!"}],"stop_reason":"max_tokens","stop_sequence":null,
         "usage":{"input_tokens":12,"cache_creation_input_tokens":100,"cache_read_input_tokens":2048,
                  "cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":0},
                  "output_tokens":6,"server_tool_use":{"web_search_requests":0},"service_tier":"standard"}}
        """;

    private const string OpenAIChatCompletion = """
        {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,"model":"gpt-4.1-2025-04-14",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"length"}],
         "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,
                  "prompt_tokens_details":{"cached_tokens":8,"audio_tokens":0},
                  "completion_tokens_details":{"reasoning_tokens":4,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
         "service_tier":"default","system_fingerprint":"fp_fc9f1d7035"}
        """;

    private const string OpenAIResponse = """
        {"id":"resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b","object":"response","created_at":1741476542,"status":"completed",
         "error":null,"incomplete_details":null,"model":"gpt-4.1-2025-04-14",
         "output":[{"type":"message","id":"msg_67ccd2bf","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hi","annotations":[]}]}],
         "usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":6},"output_tokens":87,"output_tokens_details":{"reasoning_tokens":20},"total_tokens":123}}
        """;

    private const string AnthropicError = """{"type":"error","error":{"type":"not_found_error","message":"The requested resource could not be found."},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}""";

    private const string OpenAIError = """{"error":{"message":"This model's maximum context length is 128000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""";

    [Fact]
    public void OnEnd_AnthropicMessage_RecordsIdModelStopReasonAndUsage()
    {
        var facts = Observe(ApiDialects.AnthropicMessages, AnthropicMessage);

        Assert.Equal("msg_01XFDUDYJgAACzvnptvVoYEL", facts.ResponseId);
        Assert.Equal("claude-sonnet-4-5-20250929", facts.ResponseModel);
        Assert.Equal("max_tokens", facts.FinishReason);
        Assert.Equal(12, facts.InputTokens);
        Assert.Equal(6, facts.OutputTokens);
        Assert.Equal(2048, facts.CacheReadInputTokens);
        Assert.Equal(100, facts.CacheCreationInputTokens);
        Assert.True(facts.Completed);
        Assert.Equal(0, facts.ContentChunks);
        Assert.Null(facts.ErrorBodyType);
        Assert.Null(facts.ObservationProblem);
    }

    [Fact]
    public void OnEnd_OpenAIChatCompletion_RecordsFinishReasonAndUsageDetails()
    {
        var facts = Observe(ApiDialects.OpenAIChatCompletions, OpenAIChatCompletion);

        Assert.Equal("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", facts.ResponseId);
        Assert.Equal("gpt-4.1-2025-04-14", facts.ResponseModel);
        Assert.Equal("length", facts.FinishReason);
        Assert.Equal(19, facts.InputTokens);
        Assert.Equal(10, facts.OutputTokens);
        Assert.Equal(8, facts.CacheReadInputTokens);
        Assert.Equal(4, facts.ReasoningOutputTokens);
        Assert.Equal(0, facts.ContentChunks);
        Assert.True(facts.Completed);
    }

    [Fact]
    public void OnEnd_OpenAIResponseObject_StatusBecomesFinishReason()
    {
        var facts = Observe(ApiDialects.OpenAIResponses, OpenAIResponse);

        Assert.Equal("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b", facts.ResponseId);
        Assert.Equal("gpt-4.1-2025-04-14", facts.ResponseModel);
        Assert.Equal("completed", facts.FinishReason);
        Assert.Equal(36, facts.InputTokens);
        Assert.Equal(87, facts.OutputTokens);
        Assert.Equal(6, facts.CacheReadInputTokens);
        Assert.Equal(20, facts.ReasoningOutputTokens);
        Assert.Equal(0, facts.ContentChunks);
        Assert.True(facts.Completed);
        Assert.Null(facts.ErrorBodyType);
    }

    [Fact]
    public void OnEnd_AnthropicErrorBody_RecordsErrorTypeAndMessage()
    {
        var facts = Observe(ApiDialects.AnthropicMessages, AnthropicError);

        Assert.Equal("not_found_error", facts.ErrorBodyType);
        Assert.Equal("The requested resource could not be found.", facts.ErrorBodyMessage);
        Assert.Null(facts.StreamErrorType);
        Assert.True(facts.Completed);
    }

    [Theory]
    [InlineData("OpenAIChatCompletions")]
    [InlineData("OpenAIResponses")]
    public void OnEnd_OpenAIErrorBody_RecordsErrorTypeAndMessage(string dialectValue)
    {
        var dialect = ApiDialects.ByName(dialectValue);
        var facts = Observe(dialect, OpenAIError);

        Assert.Equal("invalid_request_error", facts.ErrorBodyType);
        Assert.Equal("This model's maximum context length is 128000 tokens.", facts.ErrorBodyMessage);
        Assert.Null(facts.FinishReason);
        Assert.True(facts.Completed);
    }

    [Theory]
    [InlineData("AnthropicMessages", "{\"id\":\"msg\",\"usage\":{\"input_tokens\":")]
    [InlineData("OpenAIChatCompletions", "<html><body>502 Bad Gateway</body></html>")]
    [InlineData("OpenAIResponses", "{\"id\":\"r\",\"status\":")]
    public void OnEnd_MalformedJson_RecordsProblemWithoutThrowing(string dialectValue, string body)
    {
        var dialect = ApiDialects.ByName(dialectValue);
        var facts = Observe(dialect, body);

        Assert.NotNull(facts.ObservationProblem);
        Assert.False(facts.Completed);
    }

    [Fact]
    public void OnBytes_BodyOverCap_RecordsProblemAndDoesNotParse()
    {
        var facts = new ResponseFacts();
        using var observer = new JsonBodyObserver(ApiDialects.AnthropicMessages, facts, maxBodyBytes: 64);
        var body = Encoding.UTF8.GetBytes(AnthropicMessage);
        observer.OnBytes(body.AsSpan(0, 40), 1);
        observer.OnBytes(body.AsSpan(40), 2);
        observer.OnEnd(3);

        Assert.NotNull(facts.ObservationProblem);
        Assert.Null(facts.ResponseId);
        Assert.False(facts.Completed);
    }

    [Theory]
    [InlineData("AnthropicMessages")]
    [InlineData("OpenAIChatCompletions")]
    [InlineData("OpenAIResponses")]
    public void OnBytes_BodySplitAtEveryOffset_ProducesIdenticalFacts(string dialectValue)
    {
        var dialect = ApiDialects.ByName(dialectValue);
        var body = dialectValue switch
        {
            "AnthropicMessages" => AnthropicMessage,
            "OpenAIChatCompletions" => OpenAIChatCompletion,
            _ => OpenAIResponse,
        };

        var facts = ObserverAssertions.AssertSameFactsAtEverySplit(f => dialect.CreateObserver(isEventStream: false, f, ObservationLimits.DefaultMaxDocumentBytes), Encoding.UTF8.GetBytes(body));

        Assert.True(facts.Completed);
    }

    private static ResponseFacts Observe(IApiDialect dialect, string body) =>
        ObserverFeeding.FeedWhole(f => dialect.CreateObserver(isEventStream: false, f, ObservationLimits.DefaultMaxDocumentBytes), Encoding.UTF8.GetBytes(body));
}
