using System.Buffers;
using System.Text;
using System.Text.Json;
using CsCheck;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.Gateway.UsageInjection;

namespace Glassbox.Gateway.Tests.UsageInjection;

/// <summary>
/// Properties of the usage injection on mutated inputs: the body editor never throws and, when it edits, makes exactly
/// one insertion or replacement that leaves valid JSON asking for usage; the stream filter never throws and gives the
/// same bytes however the stream is cut.
/// </summary>
public sealed class UsageInjectionProperties
{
    private static readonly byte[][] Bodies =
    [
        """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi \"there\""}]}"""u8.ToArray(),
        """{ "stream" : true , "stream_options" : { "obfuscation" : false } , "model" : "m" }"""u8.ToArray(),
        """{"stream_options":null,"stream":true,"tools":[{"type":"function","function":{"name":"f","parameters":{}}}]}"""u8.ToArray(),
        """{"str\u0065am":true,"stream_options":{"include_usage":false}}"""u8.ToArray(),
    ];

    [Fact]
    public void TryInject_MutatedBodies_NeverThrowsAndEditsOnlyIntoValidJsonAskingForUsage()
    {
        HostileInput.MutatedOneOf(Bodies).Sample(body =>
        {
            var edit = StreamOptionsInjector.TryInject(body, out var edited);

            if (edit != StreamOptionsEdit.Injected)
            {
                Assert.Null(edited);
                return;
            }

            using var parsed = JsonDocument.Parse(edited!);
            Assert.True(parsed.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
            // One contiguous change: the common prefix and suffix cover everything but the edit.
            var prefix = body.AsSpan().CommonPrefixLength(edited);
            var commonSuffix = 0;
            while (commonSuffix < body.Length - prefix && commonSuffix < edited!.Length - prefix && body[^(commonSuffix + 1)] == edited[^(commonSuffix + 1)])
                commonSuffix++;
            var removed = body.Length - prefix - commonSuffix;
            Assert.InRange(removed, 0, 5); // nothing removed, or "null" / "false" replaced
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void Write_MutatedChatStreamsInAnyChunks_NeverThrowsAndTheSameBytesHoweverCut()
    {
        var seed = Encoding.UTF8.GetBytes(
            "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}],\"usage\":null}\n\n"
            + "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\r\n\r\n"
            + ": ping\r\rdata: [DONE]\n\n");
        Gen.Select(HostileInput.Mutated(seed, 8), HostileInput.ChunkSizes).Sample((stream, sizes) =>
        {
            Assert.Equal(Filter([stream]), Filter(HostileInput.Chunk(stream, sizes)));
        }, iter: 2000, threads: 1);
    }

    private static byte[] Filter(IEnumerable<byte[]> chunks)
    {
        var filter = new InjectedUsageFilter();
        var client = new ArrayBufferWriter<byte>();
        foreach (var chunk in chunks)
            filter.Write(chunk, client);
        filter.Complete(client);
        return client.WrittenSpan.ToArray();
    }
}
