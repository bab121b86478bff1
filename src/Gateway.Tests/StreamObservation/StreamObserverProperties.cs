using CsCheck;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.StreamObservation;

/// <summary>
/// Properties of each dialect's stream observer and of the JSON body observer over mutated recordings:
/// nothing throws out of the observer, and the facts are the same however the same bytes are chunked.
/// </summary>
public sealed class StreamObserverProperties
{
    public static TheoryData<string, string> DialectsAndRecordings() => new()
    {
        { nameof(ApiDialects.AnthropicMessages), "anthropic-text.sse" },
        { nameof(ApiDialects.AnthropicMessages), "anthropic-thinking-tools.sse" },
        { nameof(ApiDialects.AnthropicMessages), "anthropic-error.sse" },
        { nameof(ApiDialects.OpenAIChatCompletions), "openai-chat-text.sse" },
        { nameof(ApiDialects.OpenAIChatCompletions), "openai-chat-tools.sse" },
        { nameof(ApiDialects.OpenAIChatCompletions), "openai-chat-error.sse" },
        { nameof(ApiDialects.OpenAIResponses), "openai-responses-text.sse" },
        { nameof(ApiDialects.OpenAIResponses), "openai-responses-failed.sse" },
        { nameof(ApiDialects.OpenAIResponses), "openai-responses-tools-incomplete.sse" },
        { nameof(ApiDialects.Gemini), "gemini-thinking.sse" },
        { nameof(ApiDialects.Gemini), "gemini-tools.sse" },
        { nameof(ApiDialects.Gemini), "gemini-error.sse" },
    };

    [Theory]
    [MemberData(nameof(DialectsAndRecordings))]
    public void OnBytes_MutatedStreamInAnyChunks_SameFactsAsFedWholeAndNeverThrows(string dialectName, string recording)
    {
        var dialect = ApiDialects.ByName(dialectName);
        Gen.Select(HostileInput.Mutated(Recordings.Load(recording), 8), HostileInput.ChunkSizes, Gen.Bool).Sample((bytes, sizes, end) =>
        {
            IResponseObserver Create(ResponseFacts facts) => ResponseObserverFactory.Create(dialect, isEventStream: true, facts, maxDocumentBytes: 2048)!;
            var whole = FactsSnapshot.Of(ObserverFeeding.Feed(Create, [bytes], end));
            var chunked = FactsSnapshot.Of(ObserverFeeding.Feed(Create, HostileInput.Chunk(bytes, sizes), end));

            Assert.Equal(whole, chunked);
        }, iter: 400, print: t => HostileInput.Show(t.Item1));
    }

    public static TheoryData<string> Dialects() =>
        [nameof(ApiDialects.AnthropicMessages), nameof(ApiDialects.OpenAIChatCompletions), nameof(ApiDialects.OpenAIResponses), nameof(ApiDialects.Gemini)];

    [Theory]
    [MemberData(nameof(Dialects))]
    public void OnBytes_MutatedJsonBodyInAnyChunks_SameFactsAsFedWholeAndNeverThrows(string dialectName)
    {
        var dialect = ApiDialects.ByName(dialectName);
        byte[][] seeds = dialectName == nameof(ApiDialects.Gemini) ? GeminiBodies() :
        [
            .. ObserverFeeding.SplitEvents(Recordings.Load(dialectName switch
            {
                nameof(ApiDialects.AnthropicMessages) => "anthropic-thinking-tools.sse",
                nameof(ApiDialects.OpenAIChatCompletions) => "openai-chat-tools.sse",
                _ => "openai-responses-text.sse",
            })).Select(DataOf).Where(d => d.Length > 2),
            """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""u8.ToArray(),
            """{"error":{"message":"Rate limit","type":"requests","param":null,"code":"rate_limit_exceeded"}}"""u8.ToArray(),
        ];
        Gen.Select(HostileInput.MutatedOneOf(seeds, 8), HostileInput.ChunkSizes).Sample((bytes, sizes) =>
        {
            IResponseObserver Create(ResponseFacts facts) => ResponseObserverFactory.Create(dialect, isEventStream: false, facts, maxDocumentBytes: 4096)!;
            var whole = FactsSnapshot.Of(ObserverFeeding.Feed(Create, [bytes]));
            var chunked = FactsSnapshot.Of(ObserverFeeding.Feed(Create, HostileInput.Chunk(bytes, sizes)));

            Assert.Equal(whole, chunked);
        }, iter: 1000, print: t => HostileInput.Show(t.Item1));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public void OnBytes_BodyFarLargerThanTheCap_AllocatesBoundedByTheCap(string dialectName)
    {
        var dialect = ApiDialects.ByName(dialectName);
        Gen.Select(Gen.Byte.Array[64 * 1024, 256 * 1024], HostileInput.ChunkSizes, Gen.Bool).Sample((bytes, sizes, isEventStream) =>
        {
            const int cap = 2048;
            var chunks = HostileInput.Chunk(bytes, sizes).ToList();
            var before = GC.GetAllocatedBytesForCurrentThread();
            ObserverFeeding.Feed(facts => ResponseObserverFactory.Create(dialect, isEventStream, facts, cap)!, chunks);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.True(allocated < 64 * cap, $"{allocated} bytes allocated observing {bytes.Length} bytes under a {cap} B cap");
        }, iter: 30);
    }

    /// <summary>Gemini's JSON bodies: the array streams (observed element by element), whole responses and an error.</summary>
    private static byte[][] GeminiBodies() =>
    [
        Recordings.Load("gemini-text-array.json"),
        Recordings.Load("gemini-blocked-array.json"),
        .. System.Text.Encoding.UTF8.GetString(Recordings.Load("gemini-thinking.sse"))
            .Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => System.Text.Encoding.UTF8.GetBytes(e["data: ".Length..])),
        """{"error":{"code":429,"message":"Quota","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"30s"}]}}"""u8.ToArray(),
    ];

    /// <summary>The JSON of a recorded SSE event (its <c>data:</c> line), a realistic whole body.</summary>
    private static byte[] DataOf(byte[] sseEvent)
    {
        var text = System.Text.Encoding.UTF8.GetString(sseEvent);
        var data = text.Split('\n').FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal));
        return data is null ? [] : System.Text.Encoding.UTF8.GetBytes(data["data: ".Length..]);
    }
}
