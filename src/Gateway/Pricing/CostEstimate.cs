namespace Glassbox.Gateway.Pricing;

/// <summary>An estimated call cost, and the price entry (model name or prefix) it was computed with.</summary>
internal readonly record struct CostEstimate(decimal Usd, string PriceEntry);
