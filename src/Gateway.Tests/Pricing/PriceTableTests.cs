using Glassbox.Gateway.Pricing;
using Glassbox.Gateway.StreamObservation;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Tests.Pricing;

/// <summary>ai.cost_usd: which price a model gets and how cached tokens are counted.</summary>
public sealed class PriceTableTests
{
    private const long Million = 1_000_000;

    [Theory]
    [InlineData("claude-sonnet-4-5-20250929", 18)]    // claude-sonnet-4: 3 + 15
    [InlineData("claude-opus-4-5-20251101", 30)]      // claude-opus-4-5 (5 + 25), not claude-opus-4 (15 + 75)
    [InlineData("claude-opus-4-1-20250805", 90)]      // claude-opus-4
    [InlineData("gpt-4o-mini-2024-07-18", 0.75)]      // gpt-4o-mini (0.15 + 0.6), not gpt-4o
    [InlineData("gpt-4o-2024-08-06", 12.5)]           // gpt-4o
    [InlineData("o3-mini-2025-01-31", 5.5)]           // o3-mini, not o3
    [InlineData("CLAUDE-HAIKU-4-5", 6)]               // names match case-insensitively
    public void Estimate_DatedModelName_LongestPrefixPriceApplies(string model, double expectedUsd)
    {
        var cost = Table().Estimate(model, Usage(input: Million, output: Million), inputIncludesCache: false);

        Assert.Equal((decimal)expectedUsd, cost);
    }

    [Fact]
    public void Estimate_AnthropicCacheReadAndWrite_PricedAtTheirOwnRates()
    {
        // claude-sonnet-4: input 3, output 15, cache read 0.3, cache write 3.75 per million.
        var usage = Usage(input: 1000, output: 2000, cacheRead: Million, cacheWrite: Million);

        var cost = Table().Estimate("claude-sonnet-4-20250514", usage, inputIncludesCache: false);

        Assert.Equal(((1000 * 3m) + (2000 * 15m) + (Million * 0.3m) + (Million * 3.75m)) / Million, cost);
    }

    [Fact]
    public void Estimate_OpenAIInputIncludesCachedTokens_CachedPartNotChargedTwice()
    {
        // gpt-4o: input 2.5, cache read 1.25. prompt_tokens 1M of which 400k cached.
        var usage = Usage(input: Million, output: 0, cacheRead: 400_000);

        var openAi = Table().Estimate("gpt-4o", usage, inputIncludesCache: true);
        var anthropicStyle = Table().Estimate("gpt-4o", usage, inputIncludesCache: false);

        Assert.Equal((600_000 * 2.5m + 400_000 * 1.25m) / Million, openAi);
        Assert.Equal((Million * 2.5m + 400_000 * 1.25m) / Million, anthropicStyle);
    }

    [Fact]
    public void Estimate_OpenAICachedMoreThanInput_NeverNegative()
    {
        var cost = Table().Estimate("gpt-4o", Usage(input: 10, output: 0, cacheRead: 20), inputIncludesCache: true);

        Assert.Equal(20 * 1.25m / Million, cost);
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

        Assert.Equal(3m, table.Estimate("claude-sonnet-4-5-20250929", Usage(input: Million, output: Million), inputIncludesCache: false));
    }

    [Fact]
    public void Estimate_ConfiguredLongerPrefix_WinsForItsModelsOnly()
    {
        var table = Table(new() { ["gpt-4o-audio"] = new ModelPrice { Input = 40, Output = 80 } });

        Assert.Equal(120m, table.Estimate("gpt-4o-audio-preview", Usage(input: Million, output: Million), inputIncludesCache: true));
        Assert.Equal(12.5m, table.Estimate("gpt-4o-2024-08-06", Usage(input: Million, output: Million), inputIncludesCache: true));
    }

    [Fact]
    public void Estimate_ConfiguredModelWithoutCachePrices_CacheTokensAtInputPrice()
    {
        var table = Table(new() { ["my-model"] = new ModelPrice { Input = 2, Output = 4 } });

        var cost = table.Estimate("my-model-v2", Usage(input: 0, output: 0, cacheRead: Million, cacheWrite: Million), inputIncludesCache: false);

        Assert.Equal(4m, cost);
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
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOptions<PricingOptions>().BindConfiguration("Glassbox");
        using var provider = services.BuildServiceProvider();
        var table = new PriceTable(provider.GetRequiredService<IOptions<PricingOptions>>());

        Assert.Equal(30m, table.Estimate("claude-haiku-4-5-20251001", Usage(input: Million, output: Million), inputIncludesCache: false));
        Assert.Equal(2.05m, table.Estimate("acme-1", Usage(input: Million, output: Million, cacheRead: Million), inputIncludesCache: false));
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
