using System.Collections.Frozen;
using Glassbox.Gateway.StreamObservation;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Pricing;

/// <summary>
/// Estimates <c>ai.cost_usd</c> from reported usage. Model names match the longest configured
/// prefix, so <c>claude-sonnet-4-5-20250929</c> finds <c>claude-sonnet-4-5</c>.
/// </summary>
internal sealed class PriceTable
{
    // List prices per million tokens; operators override or extend them under Glassbox:Prices.
    private static readonly Dictionary<string, ModelPrice> Defaults = new(StringComparer.OrdinalIgnoreCase)
    {
        ["claude-opus-4"] = new() { Input = 15m, Output = 75m, CacheRead = 1.5m, CacheWrite = 18.75m },
        ["claude-opus-4-5"] = new() { Input = 5m, Output = 25m, CacheRead = 0.5m, CacheWrite = 6.25m },
        ["claude-sonnet-4"] = new() { Input = 3m, Output = 15m, CacheRead = 0.3m, CacheWrite = 3.75m },
        ["claude-3-7-sonnet"] = new() { Input = 3m, Output = 15m, CacheRead = 0.3m, CacheWrite = 3.75m },
        ["claude-haiku-4-5"] = new() { Input = 1m, Output = 5m, CacheRead = 0.1m, CacheWrite = 1.25m },
        ["claude-3-5-haiku"] = new() { Input = 0.8m, Output = 4m, CacheRead = 0.08m, CacheWrite = 1m },
        ["gpt-4o"] = new() { Input = 2.5m, Output = 10m, CacheRead = 1.25m },
        ["gpt-4o-mini"] = new() { Input = 0.15m, Output = 0.6m, CacheRead = 0.075m },
        ["gpt-4.1"] = new() { Input = 2m, Output = 8m, CacheRead = 0.5m },
        ["gpt-4.1-mini"] = new() { Input = 0.4m, Output = 1.6m, CacheRead = 0.1m },
        ["o3"] = new() { Input = 2m, Output = 8m, CacheRead = 0.5m },
        ["o3-mini"] = new() { Input = 1.1m, Output = 4.4m, CacheRead = 0.55m },
        ["o4-mini"] = new() { Input = 1.1m, Output = 4.4m, CacheRead = 0.275m },
    };

    private readonly FrozenDictionary<string, ModelPrice> _prices;
    private readonly int _longestPrefix;

    public PriceTable(IOptions<PricingOptions> options)
    {
        var merged = new Dictionary<string, ModelPrice>(Defaults, StringComparer.OrdinalIgnoreCase);
        foreach (var (model, price) in options.Value.Prices)
        {
            merged[model] = price;
        }

        _prices = merged.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _longestPrefix = merged.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max();
    }

    /// <summary>Null when the model has no price or no usage was reported.</summary>
    public decimal? Estimate(string? model, ResponseFacts usage, bool inputIncludesCache)
    {
        if (model is null || (usage.InputTokens is null && usage.OutputTokens is null) || Find(model) is not { } price)
        {
            return null;
        }

        long cacheRead = usage.CacheReadInputTokens ?? 0;
        long cacheWrite = usage.CacheCreationInputTokens ?? 0;
        var input = usage.InputTokens ?? 0;
        // OpenAI's prompt_tokens include cached tokens; Anthropic's input_tokens do not.
        var uncachedInput = inputIncludesCache ? Math.Max(0, input - cacheRead) : input;
        var total = (uncachedInput * price.Input)
            + ((usage.OutputTokens ?? 0) * price.Output)
            + (cacheRead * (price.CacheRead ?? price.Input))
            + (cacheWrite * (price.CacheWrite ?? price.Input));
        return total / 1_000_000m;
    }

    private ModelPrice? Find(string model)
    {
        var span = model.AsSpan();
        var lookup = _prices.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var length = Math.Min(span.Length, _longestPrefix); length > 0; length--)
        {
            if (lookup.TryGetValue(span[..length], out var price))
            {
                return price;
            }
        }

        return null;
    }
}
