#pragma warning disable OPENAI001 // ResponsesClient and the OpenAI.Responses types are [Experimental]
using System.Diagnostics;
using System.Text;
using Glassbox.Gateway.Tests.Infrastructure;
using OpenAI.Responses;

namespace Glassbox.Gateway.Tests.Clients;

/// <summary>The official OpenAI SDK's ResponsesClient works through the gateway and its calls are observed as chat calls of the Responses API.</summary>
public sealed class OpenAIResponsesSdkTests : IAsyncLifetime
{
    private const int TtftMs = 400;
    private const int Deltas = 3;
    private const int InputTokens = 22;
    private const int OutputTokens = 6;

    private GatewayHarness _harness = null!;
    private ResponsesClient _client = null!;

    public async Task InitializeAsync()
    {
        _harness = await GatewayHarness.StartAsync(simulatorSettings: new Dictionary<string, string?>
        {
            ["Simulator:TimeToFirstTokenMs"] = $"{TtftMs}",
            ["Simulator:DeltaGapMs"] = "30",
            ["Simulator:Deltas"] = $"{Deltas}",
            ["Simulator:InputTokens"] = $"{InputTokens}",
            ["Simulator:OutputTokens"] = $"{OutputTokens}",
        });
        _client = OpenAISdk.CreateResponsesClient(_harness);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task CreateResponse_NonStreaming_ClientGetsOutputAndSpanRecordsUsage()
    {
        var model = AiRequests.UniqueModel("sdk-resp");

        ResponseResult response = await _client.CreateResponseAsync(model, AiRequests.Prompt);

        Assert.Equal(model, response.Model);
        Assert.Equal(CallSpanAssert.SimulatedText(Deltas), response.GetOutputText());
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal(InputTokens, response.Usage.InputTokenCount);
        Assert.Equal(OutputTokens, response.Usage.OutputTokenCount);

        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        CallSpanAssert.SucceededCall(span, "openai", model, stream: false);
        Assert.Equal("responses", span.GetTagItem("openai.api.type"));
        Assert.Equal(response.Id, span.GetTagItem("gen_ai.response.id"));
        CallSpanAssert.FinishReason(span, "completed");
        AssertUsage(span);
        CallSpanAssert.NoStreamTiming(span);
    }

    [Fact]
    public async Task CreateResponseStreaming_PacedStream_ClientGetsDeltasAndSpanRecordsTtftAndUsage()
    {
        var model = AiRequests.UniqueModel("sdk-resp-stream");
        var text = new StringBuilder();
        ResponseResult? completed = null;
        TimeSpan? clientTtft = null;
        var clock = Stopwatch.StartNew();

        await foreach (var update in await _client.CreateResponseStreamingAsync(model, AiRequests.Prompt))
        {
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    clientTtft ??= clock.Elapsed;
                    text.Append(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response;
                    break;
            }
        }

        Assert.Equal(CallSpanAssert.SimulatedText(Deltas), text.ToString());
        Assert.NotNull(completed);
        Assert.Equal(model, completed.Model);
        Assert.Equal(ResponseStatus.Completed, completed.Status);
        Assert.Equal(InputTokens, completed.Usage.InputTokenCount);
        Assert.Equal(OutputTokens, completed.Usage.OutputTokenCount);
        Assert.NotNull(clientTtft);

        if (!_harness.InProcess)
        {
            return; // against the published executable: client-visible behaviour only (its spans are checked over OTLP)
        }

        var span = await _harness.WaitForCallSpanAsync(model);
        CallSpanAssert.SucceededCall(span, "openai", model, stream: true);
        Assert.Equal("responses", span.GetTagItem("openai.api.type"));
        Assert.Equal(completed.Id, span.GetTagItem("gen_ai.response.id"));
        CallSpanAssert.FinishReason(span, "completed");
        AssertUsage(span);
        CallSpanAssert.StreamTiming(span, TtftMs, Deltas, clientTtft.Value);
    }

    private static void AssertUsage(Activity span)
    {
        Assert.Equal((long)InputTokens, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal((long)InputTokens, span.GetTagItem("ai.tokens.input"));
        Assert.Equal((long)OutputTokens, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal((long)OutputTokens, span.GetTagItem("ai.tokens.output"));
        Assert.Equal(false, span.GetTagItem("ai.cache_hit"));
    }
}
