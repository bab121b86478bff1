using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Pricing;

/// <summary>A gateway given a LiteLLM-format price file prices its calls from it, and says which entry it used.</summary>
public sealed class PriceFileGatewayTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("glassbox-prices-").FullName;
    private GatewayHarness _harness = null!;

    public async Task InitializeAsync()
    {
        var file = Path.Combine(_folder, "model_prices_and_context_window.json");
        await File.WriteAllTextAsync(file, """
            {
              "sample_spec": {"input_cost_per_token": 0.0, "mode": "one of: chat, embedding, completion"},
              "pricefile-model": {"input_cost_per_token": 2e-06, "output_cost_per_token": 1e-05,
                                  "cache_read_input_token_cost": 2e-07, "litellm_provider": "openai", "mode": "chat"}
            }
            """);
        _harness = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Glassbox:Prices:File"] = file });
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ChatStream_ModelFromThePriceFile_SpanCostAndPriceEntry()
    {
        var model = AiRequests.UniqueModel("pricefile-model");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/chat/completions", model, stream: true,
            ("x-sim-input-tokens", "1000"), ("x-sim-cache-read-tokens", "400"), ("x-sim-output-tokens", "200")));
        await response.Content.ReadAsStringAsync();

        var span = await _harness.WaitForCallSpanAsync(model);
        // 600 uncached input at 2 $/M, 400 cached at 0.2 $/M, 200 output at 10 $/M.
        Assert.Equal((double)((600 * 2m) + (400 * 0.2m) + (200 * 10m)) / 1_000_000, (double)span.GetTagItem("ai.cost_usd")!, 12);
        Assert.Equal("pricefile-model", span.GetTagItem("glassbox.price.model"));
    }

    [Fact]
    public async Task Messages_BuiltInModel_PriceEntryIsTheBuiltInPrefix()
    {
        var model = "claude-haiku-4-5-" + Guid.NewGuid().ToString("N")[..8];
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false,
            ("x-sim-input-tokens", "1000"), ("x-sim-output-tokens", "100")));
        await response.Content.ReadAsStringAsync();

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal("claude-haiku-4-5", span.GetTagItem("glassbox.price.model"));
        Assert.Equal(((1000 * 1.0) + (100 * 5.0)) / 1_000_000, (double)span.GetTagItem("ai.cost_usd")!, 12);
    }

    [Fact]
    public async Task Messages_UnpricedModel_NoCostAndNoPriceEntry()
    {
        var model = AiRequests.UniqueModel("unpriced");
        using var client = _harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false));
        await response.Content.ReadAsStringAsync();

        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Null(span.GetTagItem("ai.cost_usd"));
        Assert.Null(span.GetTagItem("glassbox.price.model"));
    }
}
