using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Fuzz.Targets;

namespace Glassbox.Gateway.Fuzz;

/// <summary>Every target, by the name fuzz/run.sh passes.</summary>
internal static class FuzzTargets
{
    public static readonly FuzzTarget[] All =
    [
        new("sse-reader", root => SeedCorpus.Recordings(root, "*.sse"), SseReaderTarget.Run),
        new("anthropic-stream", root => SeedCorpus.Recordings(root, "anthropic-*.sse"), input => ObserverTarget.Run(ApiDialects.AnthropicMessages, isEventStream: true, input)),
        new("chat-stream", root => SeedCorpus.Recordings(root, "openai-chat-*.sse"), input => ObserverTarget.Run(ApiDialects.OpenAIChatCompletions, isEventStream: true, input)),
        new("responses-stream", root => SeedCorpus.Recordings(root, "openai-responses-*.sse"), input => ObserverTarget.Run(ApiDialects.OpenAIResponses, isEventStream: true, input)),
        new("json-body", SeedCorpus.JsonBodies, JsonBodyAllDialects),
        new("request-facts", SeedCorpus.Requests, RequestFactsTarget.Run),
        new("decompression", SeedCorpus.Compressed, DecompressionTarget.Run),
        new("usage-body-editor", SeedCorpus.Requests, UsageInjectionTargets.RunBodyEditor),
        new("usage-stream-filter", root => SeedCorpus.Recordings(root, "openai-chat-*.sse"), UsageInjectionTargets.RunStreamFilter),
        .. OtherDialectStreams(),
    ];

    /// <summary>A stream target for every other registered dialect (one added later gets its own), seeded with every recording.</summary>
    private static IEnumerable<FuzzTarget> OtherDialectStreams() =>
        ApiDialects.All
            .Where(d => d != ApiDialects.AnthropicMessages && d != ApiDialects.OpenAIChatCompletions && d != ApiDialects.OpenAIResponses)
            .Select(d => new FuzzTarget($"{d.Name.ToLowerInvariant()}-stream", root => SeedCorpus.Recordings(root, "*.sse"), input => ObserverTarget.Run(d, isEventStream: true, input)));

    public static FuzzTarget? Find(string name) => Array.Find(All, t => t.Name == name);

    private static void JsonBodyAllDialects(byte[] input)
    {
        foreach (var dialect in ApiDialects.All)
        {
            ObserverTarget.Run(dialect, isEventStream: false, input);
        }
    }
}
