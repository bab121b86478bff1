using Glassbox.Gateway.Dialects;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Pricing;

/// <summary>
/// Estimates <c>ai.cost_usd</c> from reported usage. Prices come from three layers, each winning over the one before:
/// the built-in list, the price file (<see cref="PriceFileReloader"/> swaps it in whenever it changes), and the entries
/// configured under <c>Glassbox:Prices</c>. Model names match the longest name prefix, so
/// <c>claude-sonnet-4-5-20250929</c> finds <c>claude-sonnet-4-5</c>.
/// </summary>
internal sealed class PriceTable
{
    private readonly IReadOnlyDictionary<string, ModelPrice> _configured;
    private volatile PriceSnapshot _current;

    public PriceTable(IOptions<PricingOptions> options)
    {
        _configured = options.Value.Prices;
        _current = new PriceSnapshot([BuiltInPrices.All, _configured]);
    }

    /// <summary>Replaces the price file's layer; calls in flight keep the table they started estimating with.</summary>
    public void UseFilePrices(IReadOnlyDictionary<string, ModelPrice> filePrices) =>
        _current = new PriceSnapshot([BuiltInPrices.All, filePrices, _configured]);

    /// <summary>Null when the model has no price or no usage was reported.</summary>
    /// <param name="usage">The call's usage as the semantic conventions count it (input with cache, output with reasoning).</param>
    public CostEstimate? Estimate(string? model, TokenUsage usage)
    {
        if (model is null || !usage.Reported || !_current.TryFind(model, out var entry, out var price))
        {
            return null;
        }

        long cacheRead = usage.CacheRead ?? 0;
        long cacheWrite = usage.CacheCreation ?? 0;
        var uncachedInput = usage.UncachedInput;
        var promptTokens = uncachedInput + cacheRead + cacheWrite;

        decimal inputPrice = price.Input, outputPrice = price.Output;
        decimal cacheReadPrice = price.CacheRead ?? price.Input, cacheWritePrice = price.CacheWrite ?? price.Input;
        if (promptTokens > price.LongContextThreshold)
        {
            inputPrice = price.LongContextInput ?? inputPrice;
            outputPrice = price.LongContextOutput ?? outputPrice;
            cacheReadPrice = price.LongContextCacheRead ?? price.CacheRead ?? inputPrice;
            cacheWritePrice = price.LongContextCacheWrite ?? price.CacheWrite ?? inputPrice;
        }

        var total = (uncachedInput * inputPrice)
            + ((usage.Output ?? 0) * outputPrice)
            + (cacheRead * cacheReadPrice)
            + (cacheWrite * cacheWritePrice);
        return new CostEstimate(total / 1_000_000m, entry);
    }
}
