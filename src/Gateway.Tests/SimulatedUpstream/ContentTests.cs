using System.Text.Json;

namespace Glassbox.Gateway.Tests.SimulatedUpstream;

public sealed class ContentTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await SimulatorHost.StartAsync(b => b.Configuration["Simulator:Deltas"] = "3");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AnthropicStream_ToolContent_PartialJsonJoinsToValidInput()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/messages", """{"model":"m","stream":true}""", true, ("x-sim-content", "tool"));

        var body = await (await client.SendAsync(request)).Content.ReadAsStringAsync();

        var events = SseTestReader.DataJson(body);
        var start = events.Single(e => e.GetProperty("type").GetString() == "content_block_start");
        Assert.Equal("tool_use", start.GetProperty("content_block").GetProperty("type").GetString());
        var json = string.Concat(events
            .Where(e => e.GetProperty("type").GetString() == "content_block_delta")
            .Select(e => e.GetProperty("delta"))
            .Where(d => d.GetProperty("type").GetString() == "input_json_delta")
            .Select(d => d.GetProperty("partial_json").GetString()));
        Assert.Equal("word0 word1 word2 ", JsonDocument.Parse(json).RootElement.GetProperty("location").GetString());
        var messageDelta = events.Single(e => e.GetProperty("type").GetString() == "message_delta");
        Assert.Equal("tool_use", messageDelta.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task AnthropicStream_ThinkingContent_ThinkingThenSignatureThenText()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/messages", """{"model":"m","stream":true}""", true, ("x-sim-content", "thinking"));

        var body = await (await client.SendAsync(request)).Content.ReadAsStringAsync();

        var deltaTypes = SseTestReader.DataJson(body)
            .Where(e => e.GetProperty("type").GetString() == "content_block_delta")
            .Select(e => e.GetProperty("index").GetInt32() + ":" + e.GetProperty("delta").GetProperty("type").GetString());
        Assert.Equal(
            ["0:thinking_delta", "0:thinking_delta", "0:thinking_delta", "0:signature_delta", "1:text_delta", "1:text_delta", "1:text_delta"],
            deltaTypes);
    }

    [Fact]
    public async Task ChatStream_ToolContent_ToolCallDeltasAndFinishReason()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/chat/completions", """{"model":"m","stream":true}""", true, ("x-sim-content", "tool"));

        var body = await (await client.SendAsync(request)).Content.ReadAsStringAsync();

        var choices = SseTestReader.DataJson(body).Select(e => e.GetProperty("choices")[0]).ToList();
        var calls = choices.Where(c => c.GetProperty("delta").TryGetProperty("tool_calls", out _))
            .Select(c => c.GetProperty("delta").GetProperty("tool_calls")[0]).ToList();
        Assert.Equal("get_weather", calls[0].GetProperty("function").GetProperty("name").GetString());
        var arguments = string.Concat(calls.Select(c => c.GetProperty("function").GetProperty("arguments").GetString()));
        Assert.Equal("word0 word1 word2 ", JsonDocument.Parse(arguments).RootElement.GetProperty("location").GetString());
        Assert.Equal("tool_calls", choices[^1].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task NonStreaming_EachDialect_EchoesModelAndText()
    {
        using var client = _host.CreateClient();
        foreach (var (path, text) in new[]
        {
            ("v1/messages", "/content/0/text"),
            ("v1/chat/completions", "/choices/0/message/content"),
            ("v1/responses", "/output/0/content/0/text"),
        })
        {
            using var request = SimulatorHost.Post(path, """{"model":"echo-me"}""");
            using var response = await client.SendAsync(request);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("echo-me", root.GetProperty("model").GetString());
            var node = text.Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate(root, (e, key) => int.TryParse(key, out var i) ? e[i] : e.GetProperty(key));
            Assert.Equal("word0 word1 word2 ", node.GetString());
        }
    }

    [Fact]
    public async Task CountTokens_WithInputTokensHeader_ReturnsThem()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/messages/count_tokens", """{"model":"m","messages":[]}""", true, ("x-sim-input-tokens", "42"));

        var body = await (await client.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Equal("""{"input_tokens":42}""", body);
    }
}
