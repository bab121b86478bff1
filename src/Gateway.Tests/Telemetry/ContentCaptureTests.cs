using System.Text.Json;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Telemetry;

/// <summary>Prompts and completions are recorded only when the operator opts in, and then capped.</summary>
public sealed class ContentCaptureTests
{
    public static TheoryData<string, bool> Calls() => new()
    {
        { "v1/messages", true }, { "v1/messages", false },
        { "v1/chat/completions", true }, { "v1/chat/completions", false },
        { "v1/responses", true }, { "v1/responses", false },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Call_CaptureOn_SpanHasInputAndGeneratedText(string path, bool stream)
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Glassbox:CaptureMessageContent"] = "true" });
        var model = AiRequests.UniqueModel("capture");
        using var client = harness.CreateClient();
        (await client.SendAsync(AiRequests.Post(path, model, stream, ("x-sim-deltas", "3")))).Dispose();

        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Contains(AiRequests.Prompt, (string)span.GetTagItem("gen_ai.input.messages")!, StringComparison.Ordinal);
        using var output = JsonDocument.Parse((string)span.GetTagItem("gen_ai.output.messages")!);
        var message = Assert.Single(output.RootElement.EnumerateArray());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal("word0 word1 word2 ", message.GetProperty("parts")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Call_CaptureOnWithSmallCap_TextIsCutAndMarked()
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Glassbox:CaptureMessageContent"] = "true",
            ["Glassbox:MaxCapturedContentChars"] = "8",
        });
        var model = AiRequests.UniqueModel("capcut");
        using var client = harness.CreateClient();
        (await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true, ("x-sim-deltas", "5")))).Dispose();

        var span = await harness.WaitForCallSpanAsync(model);
        using var output = JsonDocument.Parse((string)span.GetTagItem("gen_ai.output.messages")!);
        var message = output.RootElement[0];
        Assert.Equal("word0 wo", message.GetProperty("parts")[0].GetProperty("content").GetString());
        Assert.True(message.GetProperty("truncated").GetBoolean());
        Assert.Equal(8, ((string)span.GetTagItem("gen_ai.input.messages")!).Length);
    }

    [Fact]
    public async Task Call_CaptureOff_NoContentOnTheSpan()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var model = AiRequests.UniqueModel("nocapture");
        using var client = harness.CreateClient();
        (await client.SendAsync(AiRequests.Post("v1/chat/completions", model, stream: true))).Dispose();

        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Null(span.GetTagItem("gen_ai.input.messages"));
        Assert.Null(span.GetTagItem("gen_ai.output.messages"));
    }
}
