using System.Text;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Requests;

namespace Glassbox.Gateway.Tests.Requests;

/// <summary>What the call span says about the request comes from one pass over its body.</summary>
public sealed class RequestFactsReaderTests
{
    [Fact]
    public void TryRead_AnthropicRequest_ReadsEveryField()
    {
        var facts = Read("""
            {"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"temperature":0.7,"top_p":0.9,"top_k":40,
             "stop_sequences":["END","STOP"],"system":"be brief",
             "messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"}],
             "tools":[{"name":"t1","input_schema":{}},{"name":"t2","input_schema":{}}]}
            """);

        Assert.Equal("claude-sonnet-4-5", facts.Model);
        Assert.True(facts.Stream);
        Assert.Equal(1024, facts.MaxTokens);
        Assert.Equal(0.7, facts.Temperature);
        Assert.Equal(0.9, facts.TopP);
        Assert.Equal(40, facts.TopK);
        Assert.Equal(["END", "STOP"], facts.StopSequences!);
        Assert.Equal(3, facts.MessageCount);
        Assert.Equal(2, facts.ToolCount);
        Assert.False(facts.IncludeUsage);
    }

    [Fact]
    public void TryRead_MinimalBody_OptionalFieldsAbsentNotDefaulted()
    {
        var facts = Read("""{"model":"m","messages":[]}""");

        Assert.False(facts.Stream);
        Assert.Null(facts.MaxTokens);
        Assert.Null(facts.Temperature);
        Assert.Null(facts.TopP);
        Assert.Null(facts.TopK);
        Assert.Null(facts.StopSequences);
        Assert.Null(facts.ToolCount);
        Assert.Equal(0, facts.MessageCount);
    }

    [Theory]
    [InlineData("max_tokens")]
    [InlineData("max_completion_tokens")]
    [InlineData("max_output_tokens")]
    public void TryRead_AnyMaxTokensSpelling_ReadAsMaxTokens(string name)
    {
        Assert.Equal(512, Read($$"""{"model":"m","{{name}}":512}""").MaxTokens);
    }

    [Fact]
    public void TryRead_OpenAIStopAsString_OneStopSequence()
    {
        Assert.Equal(["\n\n"], Read("""{"model":"m","stop":"\n\n"}""", ApiDialects.OpenAIChatCompletions).StopSequences!);
    }

    [Fact]
    public void TryRead_OpenAIStopAsArray_AllStopSequences()
    {
        Assert.Equal(["a", "b"], Read("""{"model":"m","stop":["a","b"]}""", ApiDialects.OpenAIChatCompletions).StopSequences!);
    }

    [Fact]
    public void TryRead_StopNullOrEmpty_NoStopSequences()
    {
        Assert.Null(Read("""{"model":"m","stop":null}""").StopSequences);
        Assert.Null(Read("""{"model":"m","stop_sequences":[]}""").StopSequences);
    }

    [Fact]
    public void TryRead_IntegerTemperature_ReadAsDouble()
    {
        Assert.Equal(1.0, Read("""{"model":"m","temperature":1}""").Temperature);
    }

    [Fact]
    public void TryRead_FractionalMaxTokens_IgnoredRestStillRead()
    {
        var facts = Read("""{"max_tokens":10.5,"model":"m","stream":true}""");

        Assert.Null(facts.MaxTokens);
        Assert.Equal("m", facts.Model);
        Assert.True(facts.Stream);
    }

    [Theory]
    [InlineData("""{"model":"m","stream":true,"stream_options":{"include_usage":true}}""", true)]
    [InlineData("""{"model":"m","stream":true,"stream_options":{"include_usage":false}}""", false)]
    [InlineData("""{"model":"m","stream":true,"stream_options":{"other":{"include_usage":false},"include_usage":true}}""", true)]
    [InlineData("""{"model":"m","stream":true,"stream_options":{"include_obfuscation":false}}""", false)]
    [InlineData("""{"model":"m","stream":true}""", false)]
    public void TryRead_StreamOptions_IncludeUsageRead(string json, bool expected)
    {
        Assert.Equal(expected, Read(json, ApiDialects.OpenAIChatCompletions).IncludeUsage);
    }

    [Fact]
    public void TryRead_ResponsesInputAsString_OneMessage()
    {
        Assert.Equal(1, Read("""{"model":"gpt-4.1","input":"hello"}""", ApiDialects.OpenAIResponses).MessageCount);
    }

    [Fact]
    public void TryRead_ResponsesInputAsArray_CountsItems()
    {
        var facts = Read("""{"model":"gpt-4.1","input":[{"role":"user","content":"a"},{"type":"function_call_output","output":"x"}],"max_output_tokens":99}""",
            ApiDialects.OpenAIResponses);

        Assert.Equal(2, facts.MessageCount);
        Assert.Equal(99, facts.MaxTokens);
    }

    [Fact]
    public void TryRead_InputOnAnthropicRoute_NotAMessageList()
    {
        Assert.Null(Read("""{"model":"m","input":"hello"}""").MessageCount);
    }

    [Fact]
    public void TryRead_NestedObjectsWithTheSameKeys_OnlyTopLevelCounts()
    {
        var facts = Read("""
            {"metadata":{"model":"nested","stream":true,"max_tokens":1,"messages":[1,2,3,4]},
             "messages":[{"role":"user","content":[{"type":"text","text":"x","model":"inner","stream":true}]}],
             "tools":[{"name":"t","input_schema":{"properties":{"model":{"type":"string"},"tools":{"type":"array"}}}}],
             "model":"real"}
            """);

        Assert.Equal("real", facts.Model);
        Assert.False(facts.Stream);
        Assert.Null(facts.MaxTokens);
        Assert.Equal(1, facts.MessageCount);
        Assert.Equal(1, facts.ToolCount);
    }

    [Theory]
    [InlineData("""{"stream":{"model":"nested"},"model":"real"}""")]
    [InlineData("""{"stream":["model"],"model":"real"}""")]
    [InlineData("""{"stream_options":{"include_usage":{"model":"nested"}},"model":"real"}""")]
    public void TryRead_ObjectWhereAScalarIsExpected_StillAJsonObjectAndNotConfused(string json)
    {
        var facts = ApiDialects.OpenAIChatCompletions.ReadRequest(Encoding.UTF8.GetBytes(json), "", captureInput: false);

        Assert.NotNull(facts);
        Assert.Equal("real", facts.Model);
        Assert.False(facts.Stream);
        Assert.False(facts.IncludeUsage);
    }

    [Fact]
    public void TryRead_ModelNotAString_NoModel()
    {
        Assert.Null(Read("""{"model":{"name":"m"},"stream":true}""").Model);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{\"model\": \"x\", oops")]
    [InlineData("{\"model\":\"m\"")]
    [InlineData("{\"model\":\"m\",}")]
    [InlineData("not json at all")]
    public void TryRead_MalformedJson_Null(string body)
    {
        Assert.Null(ApiDialects.AnthropicMessages.ReadRequest(Encoding.UTF8.GetBytes(body), "", captureInput: true));
    }

    [Theory]
    [InlineData("[{\"model\":\"m\"}]")]
    [InlineData("\"model\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void TryRead_JsonThatIsNotAnObject_Null(string body)
    {
        Assert.Null(ApiDialects.AnthropicMessages.ReadRequest(Encoding.UTF8.GetBytes(body), "", captureInput: false));
    }

    [Theory]
    [InlineData("{\"model\":\"m\"} x")]
    [InlineData("{\"model\":\"m\"}{}")]
    [InlineData("{\"model\":\"m\"}]")]
    public void TryRead_TrailingGarbage_Null(string body)
    {
        Assert.Null(ApiDialects.AnthropicMessages.ReadRequest(Encoding.UTF8.GetBytes(body), "", captureInput: false));
    }

    [Fact]
    public void TryRead_TrailingWhitespaceAndComments_Accepted()
    {
        Assert.Equal("m", Read("{\"model\":\"m\" /* note */}\n  \r\n").Model);
    }

    [Fact]
    public void TryRead_CaptureOff_NoInputKept()
    {
        var facts = ApiDialects.AnthropicMessages.ReadRequest("""{"model":"m","messages":[{"role":"user","content":"secret prompt"}]}"""u8, "", captureInput: false)!;

        Assert.Null(facts.CapturedInput);
        Assert.Equal(1, facts.MessageCount);
    }

    [Fact]
    public void TryRead_CaptureOn_MessagesKeptAsRawJson()
    {
        var facts = ApiDialects.AnthropicMessages.ReadRequest("""{"model":"m","messages":[{"role":"user","content":"secret prompt"}],"max_tokens":5}"""u8, "", captureInput: true)!;

        Assert.Equal("""[{"role":"user","content":"secret prompt"}]""", facts.CapturedInput);
    }

    [Fact]
    public void TryRead_CaptureOnResponsesStringInput_KeptAsJsonString()
    {
        var facts = ApiDialects.OpenAIResponses.ReadRequest("""{"model":"m","input":"secret prompt"}"""u8, "", captureInput: true)!;

        Assert.Equal("\"secret prompt\"", facts.CapturedInput);
    }

    private static RequestFacts Read(string json, IApiDialect? dialect = null)
    {
        var facts = (dialect ?? ApiDialects.AnthropicMessages).ReadRequest(Encoding.UTF8.GetBytes(json), "", captureInput: false);
        Assert.NotNull(facts);
        return facts;
    }
}
