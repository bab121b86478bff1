namespace Glassbox.Gateway.Tests.SimulatedUpstream;

/// <summary>Each dialect's stream for a small deterministic case, compared byte for byte to an expectation written by hand.</summary>
public sealed class GoldenStreamTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await SimulatorHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Event(string name, string json) => "event: " + name + "\n" + "data: " + json + "\n\n";

    private const string Choices = "\"choices\":";

    private static string Data(string json) => "data: " + json + "\n\n";

    [Fact]
    public async Task AnthropicStream_TwoDeltas_MatchesGoldenBytes()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/messages", """{"model":"claude-test","max_tokens":100,"stream":true}""", true,
            ("x-sim-id", "T1"), ("x-sim-deltas", "2"), ("x-sim-input-tokens", "10"),
            ("x-sim-cache-read-tokens", "3"), ("x-sim-cache-creation-tokens", "4"));

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        var expected =
            Event("message_start", """{"type":"message_start","message":{"model":"claude-test","id":"msg_T1","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"cache_creation_input_tokens":4,"cache_read_input_tokens":3,"cache_creation":{"ephemeral_5m_input_tokens":4,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard"}}}""")
            + Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""")
            + Event("ping", """{"type":"ping"}""")
            + Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"word0 "}}""")
            + Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"word1 "}}""")
            + Event("content_block_stop", """{"type":"content_block_stop","index":0}""")
            + Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":10,"cache_creation_input_tokens":4,"cache_read_input_tokens":3,"output_tokens":2}}""")
            + Event("message_stop", """{"type":"message_stop"}""");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Equal("req_T1", response.Headers.GetValues("request-id").Single());
        Assert.Equal(expected, body);
    }

    [Fact]
    public async Task ChatStream_IncludeUsage_MatchesGoldenBytes()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/chat/completions", """{"model":"gpt-test","stream":true,"stream_options":{"include_usage":true}}""", true,
            ("x-sim-id", "T2"), ("x-sim-created", "1700000000"), ("x-sim-deltas", "2"), ("x-sim-input-tokens", "10"),
            ("x-sim-cache-read-tokens", "3"), ("x-sim-reasoning-tokens", "1"));

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        const string head = """{"id":"chatcmpl-T2","object":"chat.completion.chunk","created":1700000000,"model":"gpt-test","system_fingerprint":"fp_5e1a7ed0c1",""";
        var expected =
            Data(head + Choices + """[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}""")
            + Data(head + Choices + """[{"index":0,"delta":{"content":"word0 "},"logprobs":null,"finish_reason":null}],"usage":null}""")
            + Data(head + Choices + """[{"index":0,"delta":{"content":"word1 "},"logprobs":null,"finish_reason":null}],"usage":null}""")
            + Data(head + Choices + """[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}""")
            + Data(head + Choices + """[],"usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12,"prompt_tokens_details":{"cached_tokens":3,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":1,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}""")
            + "data: [DONE]\n\n";
        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("req_T2", response.Headers.GetValues("x-request-id").Single());
        Assert.Equal(expected, body);
    }

    [Fact]
    public async Task ChatStream_WithoutUsageOption_ChunksCarryNoUsage()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/chat/completions", """{"model":"gpt-test","stream":true}""", true,
            ("x-sim-id", "T3"), ("x-sim-created", "1700000000"), ("x-sim-deltas", "1"));

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        const string head = """{"id":"chatcmpl-T3","object":"chat.completion.chunk","created":1700000000,"model":"gpt-test","system_fingerprint":"fp_5e1a7ed0c1",""";
        var expected =
            Data(head + Choices + """[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""")
            + Data(head + Choices + """[{"index":0,"delta":{"content":"word0 "},"logprobs":null,"finish_reason":null}]}""")
            + Data(head + Choices + """[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}""")
            + "data: [DONE]\n\n";
        Assert.Equal(expected, body);
    }

    [Fact]
    public async Task ResponsesStream_TwoDeltas_MatchesGoldenBytes()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/responses", """{"model":"gpt-test","input":"hi","stream":true}""", true,
            ("x-sim-id", "T4"), ("x-sim-created", "1700000000"), ("x-sim-deltas", "2"), ("x-sim-input-tokens", "10"),
            ("x-sim-cache-read-tokens", "3"), ("x-sim-reasoning-tokens", "1"));

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        const string inProgress = """{"id":"resp_T4","object":"response","created_at":1700000000,"status":"in_progress","error":null,"model":"gpt-test","output":[],"usage":null}""";
        const string part = """{"type":"output_text","annotations":[],"text":"word0 word1 "}""";
        const string item = """{"id":"msg_T4","type":"message","status":"completed","content":[""" + part + """],"role":"assistant"}""";
        const string position = "\"item_id\":\"msg_T4\",\"output_index\":0,\"content_index\":0";
        var expected =
            Event("response.created", """{"type":"response.created","sequence_number":0,"response":""" + inProgress + "}")
            + Event("response.in_progress", """{"type":"response.in_progress","sequence_number":1,"response":""" + inProgress + "}")
            + Event("response.output_item.added", """{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"msg_T4","type":"message","status":"in_progress","content":[],"role":"assistant"}}""")
            + Event("response.content_part.added", """{"type":"response.content_part.added","sequence_number":3,""" + position + ""","part":{"type":"output_text","annotations":[],"text":""}}""")
            + Event("response.output_text.delta", """{"type":"response.output_text.delta","sequence_number":4,""" + position + ""","delta":"word0 "}""")
            + Event("response.output_text.delta", """{"type":"response.output_text.delta","sequence_number":5,""" + position + ""","delta":"word1 "}""")
            + Event("response.output_text.done", """{"type":"response.output_text.done","sequence_number":6,""" + position + ""","text":"word0 word1 "}""")
            + Event("response.content_part.done", """{"type":"response.content_part.done","sequence_number":7,""" + position + ""","part":""" + part + "}")
            + Event("response.output_item.done", """{"type":"response.output_item.done","sequence_number":8,"output_index":0,"item":""" + item + "}")
            + Event("response.completed", """{"type":"response.completed","sequence_number":9,"response":{"id":"resp_T4","object":"response","created_at":1700000000,"status":"completed","error":null,"model":"gpt-test","output":[""" + item + """],"usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":3},"output_tokens":2,"output_tokens_details":{"reasoning_tokens":1},"total_tokens":12}}}""");
        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(expected, body);
    }
}
