namespace Glassbox.Gateway.Pricing;

/// <summary>
/// List prices (USD per million tokens) as published by the providers when this list was last written. Prices
/// change: operators keep them current with a price file (<c>Glassbox:Prices:File</c>) or single entries under
/// <c>Glassbox:Prices</c>, both of which win over this list.
/// </summary>
internal static class BuiltInPrices
{
    private const long Tier200K = 200_000;

    public static IReadOnlyDictionary<string, ModelPrice> All { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase)
    {
        // Anthropic: cache writes are the 5-minute rate (1.25 × input), reads 0.1 × input.
        ["claude-opus-4"] = new() { Input = 15m, Output = 75m, CacheRead = 1.5m, CacheWrite = 18.75m },
        ["claude-opus-4-5"] = new() { Input = 5m, Output = 25m, CacheRead = 0.5m, CacheWrite = 6.25m },
        ["claude-sonnet-4"] = SonnetWithLongContext(),
        ["claude-sonnet-4-5"] = SonnetWithLongContext(),
        ["claude-3-7-sonnet"] = new() { Input = 3m, Output = 15m, CacheRead = 0.3m, CacheWrite = 3.75m },
        ["claude-haiku-4-5"] = new() { Input = 1m, Output = 5m, CacheRead = 0.1m, CacheWrite = 1.25m },
        ["claude-3-5-haiku"] = new() { Input = 0.8m, Output = 4m, CacheRead = 0.08m, CacheWrite = 1m },

        // OpenAI: cached input at the provider's discount; no separate cache-write charge.
        ["gpt-5"] = new() { Input = 1.25m, Output = 10m, CacheRead = 0.125m, CacheWrite = 1.25m },
        ["gpt-5.1"] = new() { Input = 1.25m, Output = 10m, CacheRead = 0.125m, CacheWrite = 1.25m },
        ["gpt-5-mini"] = new() { Input = 0.25m, Output = 2m, CacheRead = 0.025m, CacheWrite = 0.25m },
        ["gpt-5-nano"] = new() { Input = 0.05m, Output = 0.4m, CacheRead = 0.005m, CacheWrite = 0.05m },
        ["gpt-4.1"] = new() { Input = 2m, Output = 8m, CacheRead = 0.5m, CacheWrite = 2m },
        ["gpt-4.1-mini"] = new() { Input = 0.4m, Output = 1.6m, CacheRead = 0.1m, CacheWrite = 0.4m },
        ["gpt-4.1-nano"] = new() { Input = 0.1m, Output = 0.4m, CacheRead = 0.025m, CacheWrite = 0.1m },
        ["gpt-4o"] = new() { Input = 2.5m, Output = 10m, CacheRead = 1.25m, CacheWrite = 2.5m },
        ["gpt-4o-mini"] = new() { Input = 0.15m, Output = 0.6m, CacheRead = 0.075m, CacheWrite = 0.15m },
        ["o1"] = new() { Input = 15m, Output = 60m, CacheRead = 7.5m, CacheWrite = 15m },
        ["o3"] = new() { Input = 2m, Output = 8m, CacheRead = 0.5m, CacheWrite = 2m },
        ["o3-mini"] = new() { Input = 1.1m, Output = 4.4m, CacheRead = 0.55m, CacheWrite = 1.1m },
        ["o4-mini"] = new() { Input = 1.1m, Output = 4.4m, CacheRead = 0.275m, CacheWrite = 1.1m },

        // Google Gemini: thinking tokens are billed as output; Pro charges more above a 200k-token prompt.
        ["gemini-3-pro"] = new()
        {
            Input = 2m, Output = 12m, CacheRead = 0.2m,
            LongContextThreshold = Tier200K, LongContextInput = 4m, LongContextOutput = 18m, LongContextCacheRead = 0.4m,
        },
        ["gemini-2.5-pro"] = new()
        {
            Input = 1.25m, Output = 10m, CacheRead = 0.125m,
            LongContextThreshold = Tier200K, LongContextInput = 2.5m, LongContextOutput = 15m, LongContextCacheRead = 0.25m,
        },
        ["gemini-2.5-flash"] = new() { Input = 0.3m, Output = 2.5m, CacheRead = 0.03m },
        ["gemini-2.5-flash-lite"] = new() { Input = 0.1m, Output = 0.4m, CacheRead = 0.01m },
        ["gemini-2.0-flash"] = new() { Input = 0.1m, Output = 0.4m, CacheRead = 0.025m },
        ["gemini-2.0-flash-lite"] = new() { Input = 0.075m, Output = 0.3m },
    };

    /// <summary>Claude Sonnet 4 and 4.5: prompts over 200k input tokens (1M context window) cost 2× input and 1.5× output.</summary>
    private static ModelPrice SonnetWithLongContext() => new()
    {
        Input = 3m, Output = 15m, CacheRead = 0.3m, CacheWrite = 3.75m,
        LongContextThreshold = Tier200K, LongContextInput = 6m, LongContextOutput = 22.5m, LongContextCacheRead = 0.6m, LongContextCacheWrite = 7.5m,
    };
}
