using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Pricing;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Tests.Pricing;

/// <summary>Prices raw provider counts the way a call does: through its dialect's usage arithmetic.</summary>
internal static class PriceTableTestExtensions
{
    /// <param name="inputIncludesCache">OpenAI-style counts (input includes cache reads); otherwise Anthropic-style.</param>
    public static CostEstimate? Estimate(this PriceTable table, string? model, ResponseFacts raw, bool inputIncludesCache) =>
        table.Estimate(model, (inputIncludesCache ? (IApiDialect)ApiDialects.OpenAIChatCompletions : ApiDialects.AnthropicMessages).Usage(raw));
}
