using System.Buffers;
using System.Text;
using Glassbox.Gateway.Tests.SimulatedUpstream;
using Glassbox.Gateway.UsageInjection;

namespace Glassbox.Gateway.Tests.UsageInjection;

/// <summary>
/// The client of an injected stream gets, byte for byte, what the upstream would have sent without the injection:
/// checked against the simulated upstream's own streams with and without <c>include_usage</c>, cut every way.
/// </summary>
public sealed class InjectedUsageFilterTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await SimulatorHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Filter(byte[] upstream, IReadOnlyList<int> cuts)
    {
        var filter = new InjectedUsageFilter();
        var client = new ArrayBufferWriter<byte>();
        var from = 0;
        foreach (var cut in cuts.Append(upstream.Length))
        {
            filter.Write(upstream.AsSpan(from, cut - from), client);
            from = cut;
        }

        filter.Complete(client);
        return Encoding.UTF8.GetString(client.WrittenSpan);
    }

    private async Task<byte[]> StreamAsync(bool includeUsage, params (string, string)[] headers)
    {
        var body = includeUsage
            ? """{"model":"gpt-test","stream":true,"stream_options":{"include_usage":true}}"""
            : """{"model":"gpt-test","stream":true}""";
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/chat/completions", body, true, [("x-sim-id", "U1"), ("x-sim-created", "1700000000"), .. headers]);
        using var response = await client.SendAsync(request);
        return await response.Content.ReadAsByteArrayAsync();
    }

    public static TheoryData<string, string> Scenarios() => new()
    {
        { "x-sim-deltas", "1" },
        { "x-sim-deltas", "4" },
        { "x-sim-content", "tool" },
        { "x-sim-content", "thinking" },
        { "x-sim-reasoning-tokens", "3" },
        { "x-sim-fault", "error-event" },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Write_SimulatedChatStream_EveryCutGivesTheBytesOfTheStreamWithoutUsage(string header, string value)
    {
        var injected = await StreamAsync(true, (header, value), ("x-sim-fault-after", "2"));
        var expected = Encoding.UTF8.GetString(await StreamAsync(false, (header, value), ("x-sim-fault-after", "2")));
        Assert.NotEqual(expected, Encoding.UTF8.GetString(injected));

        Assert.Equal(expected, Filter(injected, []));
        for (var cut = 1; cut < injected.Length; cut++)
        {
            Assert.Equal(expected, Filter(injected, [cut]));
        }

        var random = new Random(7);
        for (var round = 0; round < 50; round++)
        {
            var cuts = Enumerable.Range(0, random.Next(2, 12)).Select(_ => random.Next(1, injected.Length)).Distinct().Order().ToArray();
            Assert.Equal(expected, Filter(injected, cuts));
        }
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Write_AnyLineBreaks_UsageChunkAndNullUsageGoneEverythingElseKept(string eol)
    {
        string Event(string data) => "data: " + data + eol + eol;
        var upstream = ": keep-alive" + eol + eol
            + Event("""{"id":"c1","choices":[{"index":0,"delta":{"content":"hi"}}],"usage":null,"obfuscation":"xYz"}""")
            + Event("""{"usage":null, "id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""")
            + Event("""{"id":"c1","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""")
            + Event("[DONE]");
        var expected = ": keep-alive" + eol + eol
            + Event("""{"id":"c1","choices":[{"index":0,"delta":{"content":"hi"}}],"obfuscation":"xYz"}""")
            + Event("""{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""")
            + Event("[DONE]");
        var bytes = Encoding.UTF8.GetBytes(upstream);

        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            Assert.Equal(expected, Filter(bytes, cut == 0 ? [] : [cut]));
        }
    }

    [Theory]
    [InlineData("data: {\"choices\":[{\"delta\":{\"content\":\"usage\\\":null\"}}],\"usage\":{\"x\":1}}\n\n")] // usage object on a chunk with choices
    [InlineData("data: {\"error\":{\"message\":\"boom\"}}\n\n")]
    [InlineData("data: not json\n\n")]
    [InlineData("data: {\"id\"t,\"usage\":null}\n\n")]                                                   // broken JSON (found by the property test)
    [InlineData("data: {\"\\ud800\":1,\"usage\":null}\n\n")]                                              // lone surrogate escape in a key
    [InlineData("event: x\ndata: {\"choices\":[],\"usage\":{}}\n\n")]                                       // not a lone data line
    [InlineData("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1}")]                                    // unfinished at the end
    public void Write_NothingTheInjectionAdded_PassesUnchanged(string upstream)
    {
        Assert.Equal(upstream, Filter(Encoding.UTF8.GetBytes(upstream), []));
    }
}
