using System.Globalization;
using System.Text.Json;

namespace Glassbox.Gateway.Pricing;

/// <summary>
/// Reads a price list in the format of LiteLLM's <c>model_prices_and_context_window.json</c>: an object of
/// model name → entry with per-token USD fields (<c>input_cost_per_token</c>, <c>output_cost_per_token</c>,
/// <c>cache_read_input_token_cost</c>, <c>cache_creation_input_token_cost</c>, and their
/// <c>…_above_{N}k_tokens</c> long-context variants). Entries for other modes (embeddings, images, audio) and entries
/// without an input price are left out; a provider prefix of the three APIs the gateway speaks
/// (<c>anthropic/</c>, <c>openai/</c>, <c>gemini/</c>) is dropped unless the bare name has its own entry.
/// </summary>
internal static class LiteLlmPriceFile
{
    private const string AbovePrefix = "input_cost_per_token_above_";
    private const string AboveSuffix = "k_tokens";
    private static readonly string[] StrippedProviderPrefixes = ["anthropic/", "openai/", "gemini/"];
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 16 };

    /// <exception cref="FormatException">The file is not JSON, or not an object of entries.</exception>
    public static Dictionary<string, ModelPrice> Parse(ReadOnlyMemory<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"not valid JSON ({exception.Message})", exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"the top level is a JSON {document.RootElement.ValueKind}, not an object of model entries");
            }

            var bare = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
            var prefixed = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Object || ReadEntry(entry.Value) is not { } price)
                {
                    continue;
                }

                if (StrippedProviderPrefixes.FirstOrDefault(p => entry.Name.StartsWith(p, StringComparison.OrdinalIgnoreCase)) is { } prefix)
                {
                    prefixed.TryAdd(entry.Name[prefix.Length..], price);
                }

                bare[entry.Name] = price;
            }

            foreach (var (name, price) in prefixed)
            {
                bare.TryAdd(name, price);
            }

            return bare;
        }
    }

    private static ModelPrice? ReadEntry(JsonElement entry)
    {
        if (entry.TryGetProperty("mode", out var mode) && mode.ValueKind == JsonValueKind.String
            && mode.GetString() is not ("chat" or "responses" or "completion"))
        {
            return null;
        }

        if (PerMillion(entry, "input_cost_per_token") is not { } input)
        {
            return null;
        }

        var price = new ModelPrice
        {
            Input = input,
            Output = PerMillion(entry, "output_cost_per_token") ?? 0m,
            CacheRead = PerMillion(entry, "cache_read_input_token_cost"),
            CacheWrite = PerMillion(entry, "cache_creation_input_token_cost"),
        };
        if (LongContextThousands(entry) is { } thousands)
        {
            var above = "_above_" + thousands.ToString(CultureInfo.InvariantCulture) + AboveSuffix;
            price.LongContextThreshold = thousands * 1000;
            price.LongContextInput = PerMillion(entry, "input_cost_per_token" + above);
            price.LongContextOutput = PerMillion(entry, "output_cost_per_token" + above);
            price.LongContextCacheRead = PerMillion(entry, "cache_read_input_token_cost" + above);
            price.LongContextCacheWrite = PerMillion(entry, "cache_creation_input_token_cost" + above);
        }

        return price;
    }

    /// <summary>The lowest N of the <c>input_cost_per_token_above_{N}k_tokens</c> fields, if any.</summary>
    private static long? LongContextThousands(JsonElement entry)
    {
        long? lowest = null;
        foreach (var property in entry.EnumerateObject())
        {
            var name = property.Name;
            if (name.StartsWith(AbovePrefix, StringComparison.Ordinal) && name.EndsWith(AboveSuffix, StringComparison.Ordinal)
                && long.TryParse(name.AsSpan(AbovePrefix.Length, name.Length - AbovePrefix.Length - AboveSuffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                && n > 0 && (lowest is null || n < lowest))
            {
                lowest = n;
            }
        }

        return lowest;
    }

    private static decimal? PerMillion(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var perToken) && perToken >= 0
            ? perToken * 1_000_000m
            : null;
}
