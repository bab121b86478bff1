using System.Text.Json;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Dialects.OpenAI;

/// <summary>
/// Reads an OpenAI usage object. Chat Completions says <c>prompt_tokens</c>/<c>completion_tokens</c>,
/// the Responses API says <c>input_tokens</c>/<c>output_tokens</c>; the details objects match. Both
/// spellings are accepted here since one object never carries both.
/// </summary>
internal static class OpenAIUsageJson
{
    /// <summary>OpenAI's counts are already the semantic conventions': input includes cached tokens, output reasoning ones.</summary>
    public static TokenUsage Usage(ResponseFacts facts) =>
        new(facts.InputTokens, facts.OutputTokens, facts.CacheReadInputTokens, facts.CacheCreationInputTokens, facts.ReasoningOutputTokens);

    public static void Read(ref Utf8JsonReader reader, ResponseFacts facts)
    {
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("prompt_tokens"u8) || reader.ValueTextEquals("input_tokens"u8))
            {
                facts.InputTokens = JsonRead.Int64(ref reader, facts.InputTokens);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8) || reader.ValueTextEquals("output_tokens"u8))
            {
                facts.OutputTokens = JsonRead.Int64(ref reader, facts.OutputTokens);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8) || reader.ValueTextEquals("input_tokens_details"u8))
            {
                ReadDetail(ref reader, "cached_tokens"u8, facts, static (f, v) => f.CacheReadInputTokens = v, facts.CacheReadInputTokens);
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8) || reader.ValueTextEquals("output_tokens_details"u8))
            {
                ReadDetail(ref reader, "reasoning_tokens"u8, facts, static (f, v) => f.ReasoningOutputTokens = v, facts.ReasoningOutputTokens);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }
    }

    private static void ReadDetail(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, ResponseFacts facts, Action<ResponseFacts, long?> set, long? current)
    {
        if (!JsonRead.StartObject(ref reader))
        {
            return;
        }

        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals(name))
            {
                set(facts, JsonRead.Int64(ref reader, current));
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }
    }
}
