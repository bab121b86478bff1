using Glassbox.Gateway.Pricing;
using Glassbox.Gateway.StreamObservation;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Tests.Pricing;

/// <summary>ai.cost_usd: which price a model gets and how cached tokens are counted.</summary>
public sealed class PriceTableTests
{
    private const long Million = 1_000_000;

    [Theory]
    [InlineData("claude-sonnet-4-5-20250929", 28.5)]  // claude-sonnet-4-5; a 1M-token prompt is long-context: 6 + 22.5
    [InlineData("claude-opus-4-5-20251101", 30)]      // claude-opus-4-5 (5 + 25), not claude-opus-4 (15 + 75)
    [InlineData("claude-opus-4-1-20250805", 90)]      // claude-opus-4
    [InlineData("gpt-4o-mini-2024-07-18", 0.75)]      // gpt-4o-mini (0.15 + 0.6), not gpt-4o
    [InlineData("gpt-4o-2024-08-06", 12.5)]           // gpt-4o
    [InlineData("o3-mini-2025-01-31", 5.5)]           // o3-mini, not o3
    [InlineData("CLAUDE-HAIKU-4-5", 6)]               // names match case-insensitively
    public void Estimate_DatedModelName_LongestPrefixPriceApplies(string model, double expectedUsd)
    {
        var cost = Table().Estimate(model, Usage(input: Million, output: Million), inputIncludesCache: false);

        Assert.Equal((decimal)expectedUsd, cost?.Usd);
    }

    [Fact]
    public void Estimate_AnthropicCacheReadAndWrite_PricedAtTheirOwnRates()
    {
        // claude-sonnet-4: input 3, output 15, cache read 0.3, cache write 3.75 per million (prompt under 200k).
        var usage = Usage(input: 1000, output: 2000, cacheRead: 100_000, cacheWrite: 50_000);

        var cost = Table().Estimate("claude-sonnet-4-20250514", usage, inputIncludesCache: false);

        Assert.Equal(((1000 * 3m) + (2000 * 15m) + (100_000 * 0.3m) + (50_000 * 3.75m)) / Million, cost?.Usd);
    }

    [Fact]
    public void Estimate_OpenAIInputIncludesCachedTokens_CachedPartNotChargedTwice()
    {
        // gpt-4o: input 2.5, cache read 1.25. prompt_tokens 1M of which 400k cached.
        var usage = Usage(input: Million, output: 0, cacheRead: 400_000);

        var openAi = Table().Estimate("gpt-4o", usage, inputIncludesCache: true);
        var anthropicStyle = Table().Estimate("gpt-4o", usage, inputIncludesCache: false);

        Assert.Equal((600_000 * 2.5m + 400_000 * 1.25m) / Million, openAi?.Usd);
        Assert.Equal((Million * 2.5m + 400_000 * 1.25m) / Million, anthropicStyle?.Usd);
    }

    [Fact]
    public void Estimate_OpenAICachedMoreThanInput_NeverNegative()
    {
        var cost = Table().Estimate("gpt-4o", Usage(input: 10, output: 0, cacheRead: 20), inputIncludesCache: true);

        Assert.Equal(20 * 1.25m / Million, cost?.Usd);
    }

    [Theory]
    [InlineData("llama-3-70b")]
    [InlineData("gpt")]
    [InlineData("")]
    [InlineData(null)]
    public void Estimate_UnknownModel_Null(string? model)
    {
        Assert.Null(Table().Estimate(model, Usage(input: 100, output: 100), inputIncludesCache: false));
    }

    [Fact]
    public void Estimate_NoUsageReported_NullNotZero()
    {
        Assert.Null(Table().Estimate("claude-sonnet-4", new ResponseFacts(), inputIncludesCache: false));
    }

    [Fact]
    public void Estimate_ConfiguredPrice_WinsOverBuiltIn()
    {
        var table = Table(new() { ["claude-sonnet-4"] = new ModelPrice { Input = 1, Output = 2 } });

        Assert.Equal(new CostEstimate(3m, "claude-sonnet-4"), table.Estimate("claude-sonnet-4-20250514", Usage(input: Million, output: Million), inputIncludesCache: false));
    }

    [Fact]
    public void Estimate_ConfiguredLongerPrefix_WinsForItsModelsOnly()
    {
        var table = Table(new() { ["gpt-4o-audio"] = new ModelPrice { Input = 40, Output = 80 } });

        Assert.Equal(new CostEstimate(120m, "gpt-4o-audio"), table.Estimate("gpt-4o-audio-preview", Usage(input: Million, output: Million), inputIncludesCache: true));
        Assert.Equal(new CostEstimate(12.5m, "gpt-4o"), table.Estimate("gpt-4o-2024-08-06", Usage(input: Million, output: Million), inputIncludesCache: true));
    }

    [Fact]
    public void Estimate_ConfiguredModelWithoutCachePrices_CacheTokensAtInputPrice()
    {
        var table = Table(new() { ["my-model"] = new ModelPrice { Input = 2, Output = 4 } });

        var cost = table.Estimate("my-model-v2", Usage(input: 0, output: 0, cacheRead: Million, cacheWrite: Million), inputIncludesCache: false);

        Assert.Equal(4m, cost?.Usd);
    }

    [Fact]
    public void Estimate_PricesFromConfiguration_BoundUnderGlassboxPrices()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Glassbox:Prices:claude-haiku-4-5:Input"] = "10",
            ["Glassbox:Prices:claude-haiku-4-5:Output"] = "20",
            ["Glassbox:Prices:acme-1:Input"] = "0.5",
            ["Glassbox:Prices:acme-1:Output"] = "1.5",
            ["Glassbox:Prices:acme-1:CacheRead"] = "0.05",
        }).Build();
        var options = new PricingOptions();
        new PricingOptionsSetup(configuration).Configure(options);
        var table = new PriceTable(Options.Create(options));

        Assert.Equal(30m, table.Estimate("claude-haiku-4-5-20251001", Usage(input: Million, output: Million), inputIncludesCache: false)?.Usd);
        Assert.Equal(2.05m, table.Estimate("acme-1", Usage(input: Million, output: Million, cacheRead: Million), inputIncludesCache: false)?.Usd);
    }

    [Theory]
    [InlineData(200_000, 0, 3.0, 15.0)]       // at the threshold: the standard tier
    [InlineData(150_000, 50_001, 6.0, 22.5)]  // cached tokens count toward the prompt size
    [InlineData(250_000, 0, 6.0, 22.5)]
    public void Estimate_ClaudeSonnetPromptOver200k_LongContextPricesApply(long input, long cacheRead, double inputPrice, double outputPrice)
    {
        var cost = Table().Estimate("claude-sonnet-4-5-20250929", Usage(input: input, output: 1000, cacheRead: cacheRead), inputIncludesCache: false);

        var cacheReadPrice = inputPrice > 3 ? 0.6m : 0.3m;
        Assert.Equal(new CostEstimate(((input * (decimal)inputPrice) + (1000 * (decimal)outputPrice) + (cacheRead * cacheReadPrice)) / Million, "claude-sonnet-4-5"), cost);
    }

    [Fact]
    public void Estimate_GeminiProInputIncludingCacheOver200k_LongContextTierForEveryPart()
    {
        // Gemini counts cached tokens inside promptTokenCount: 300k prompt, 100k of it cached.
        var cost = Table().Estimate("gemini-2.5-pro", Usage(input: 300_000, output: 10_000, cacheRead: 100_000), inputIncludesCache: true);

        Assert.Equal(((200_000 * 2.5m) + (10_000 * 15m) + (100_000 * 0.25m)) / Million, cost?.Usd);
    }

    [Fact]
    public void Estimate_LongContextTierWithoutItsOwnCachePrices_FallsBackToStandardCachePrices()
    {
        var table = Table(new() { ["tiered"] = new ModelPrice { Input = 1, Output = 2, CacheRead = 0.1m, LongContextThreshold = 10, LongContextInput = 4 } });

        var cost = table.Estimate("tiered", Usage(input: 20, output: 1, cacheRead: 5), inputIncludesCache: false);

        Assert.Equal(((20 * 4m) + (1 * 2m) + (5 * 0.1m)) / Million, cost?.Usd);
    }

    [Fact]
    public void UseFilePrices_FileEntry_WinsOverBuiltInButNotOverConfigured()
    {
        var table = Table(new() { ["claude-haiku-4-5"] = new ModelPrice { Input = 7, Output = 7 } });

        table.UseFilePrices(new Dictionary<string, ModelPrice>
        {
            ["claude-sonnet-4-5"] = new() { Input = 2, Output = 2 },
            ["claude-haiku-4-5"] = new() { Input = 9, Output = 9 },
        });

        Assert.Equal(4m, table.Estimate("claude-sonnet-4-5-20250929", Usage(input: Million, output: Million), inputIncludesCache: false)?.Usd);
        Assert.Equal(14m, table.Estimate("claude-haiku-4-5", Usage(input: Million, output: Million), inputIncludesCache: false)?.Usd);
        Assert.Equal(90m, table.Estimate("claude-opus-4-1-20250805", Usage(input: Million, output: Million), inputIncludesCache: false)?.Usd);
    }

    private static PriceTable Table(Dictionary<string, ModelPrice>? configured = null)
    {
        var options = new PricingOptions();
        foreach (var (model, price) in configured ?? [])
        {
            options.Prices[model] = price;
        }

        return new PriceTable(Options.Create(options));
    }

    private static ResponseFacts Usage(long input, long output, long? cacheRead = null, long? cacheWrite = null) => new()
    {
        InputTokens = input,
        OutputTokens = output,
        CacheReadInputTokens = cacheRead,
        CacheCreationInputTokens = cacheWrite,
    };
}
