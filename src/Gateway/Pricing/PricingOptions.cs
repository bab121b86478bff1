namespace Glassbox.Gateway.Pricing;

/// <summary>The <c>Glassbox:Prices</c> section: model name prefix → USD per million tokens.</summary>
public sealed class PricingOptions
{
    public Dictionary<string, ModelPrice> Prices { get; } = new(StringComparer.OrdinalIgnoreCase);
}
