using System.Text;
using Glassbox.Gateway.Pricing;

namespace Glassbox.Gateway.Tests.Pricing;

/// <summary>Reading a price list in LiteLLM's <c>model_prices_and_context_window.json</c> format.</summary>
public sealed class LiteLlmPriceFileTests
{
    private static Dictionary<string, ModelPrice> Parse(string json) => LiteLlmPriceFile.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_PerTokenFieldsInScientificNotation_PricesPerMillion()
    {
        var prices = Parse("""
            {
              "sample_spec": {"max_tokens": "LEGACY", "input_cost_per_token": 0.0, "mode": "one of: chat, embedding, completion"},
              "claude-sonnet-4-5-20250929": {
                "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
                "cache_read_input_token_cost": 3e-07, "cache_creation_input_token_cost": 3.75e-06,
                "input_cost_per_token_above_200k_tokens": 6e-06, "output_cost_per_token_above_200k_tokens": 2.25e-05,
                "cache_read_input_token_cost_above_200k_tokens": 6e-07, "cache_creation_input_token_cost_above_200k_tokens": 7.5e-06,
                "litellm_provider": "anthropic", "mode": "chat", "supports_vision": true
              }
            }
            """);

        var sonnet = prices["claude-sonnet-4-5-20250929"];
        Assert.Equal((3m, 15m, 0.3m, 3.75m), (sonnet.Input, sonnet.Output, sonnet.CacheRead, sonnet.CacheWrite));
        Assert.Equal(200_000, sonnet.LongContextThreshold);
        Assert.Equal((6m, 22.5m, 0.6m, 7.5m), (sonnet.LongContextInput, sonnet.LongContextOutput, sonnet.LongContextCacheRead, sonnet.LongContextCacheWrite));
    }

    [Fact]
    public void Parse_OtherModesAndEntriesWithoutInputPrice_LeftOut()
    {
        var prices = Parse("""
            {
              "text-embedding-3-small": {"input_cost_per_token": 2e-08, "mode": "embedding"},
              "dall-e-3": {"output_cost_per_pixel": 0.0, "mode": "image_generation"},
              "weird": {"input_cost_per_token": "free", "mode": "chat"},
              "also-weird": [1, 2],
              "gpt-4.1": {"input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06, "mode": "chat"},
              "gpt-4.1-completion": {"input_cost_per_token": 2e-06, "mode": "completion"}
            }
            """);

        Assert.Equal(["gpt-4.1", "gpt-4.1-completion"], prices.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0m, prices["gpt-4.1-completion"].Output);
        Assert.Null(prices["gpt-4.1"].LongContextThreshold);
    }

    [Fact]
    public void Parse_ProviderPrefixedEntry_AlsoServesTheBareNameUnlessItHasItsOwn()
    {
        var prices = Parse("""
            {
              "gemini/gemini-2.5-pro": {"input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05,
                                        "input_cost_per_token_above_200k_tokens": 2.5e-06, "mode": "chat"},
              "anthropic/claude-haiku-4-5": {"input_cost_per_token": 9e-06, "mode": "chat"},
              "claude-haiku-4-5": {"input_cost_per_token": 1e-06, "mode": "chat"},
              "bedrock/anthropic.claude-3-haiku": {"input_cost_per_token": 2.5e-07, "mode": "chat"}
            }
            """);

        Assert.Equal(1.25m, prices["gemini-2.5-pro"].Input);
        Assert.Equal(2.5m, prices["gemini-2.5-pro"].LongContextInput);
        Assert.Null(prices["gemini-2.5-pro"].LongContextOutput);
        Assert.Equal(1m, prices["claude-haiku-4-5"].Input);
        Assert.Equal(9m, prices["anthropic/claude-haiku-4-5"].Input);
        Assert.False(prices.ContainsKey("anthropic.claude-3-haiku"));
    }

    [Theory]
    [InlineData("{\"gpt-4o\": {\"input_cost_per_token\": 1e-06,", "not valid JSON")]
    [InlineData("[{\"gpt-4o\": {}}]", "the top level is a JSON Array")]
    [InlineData("", "not valid JSON")]
    public void Parse_MalformedFile_FormatExceptionSayingWhy(string json, string problem)
    {
        var exception = Assert.Throws<FormatException>(() => Parse(json));

        Assert.StartsWith(problem, exception.Message, StringComparison.Ordinal);
    }
}
