namespace Glassbox.Gateway.Pricing;

/// <summary>
/// The <c>Glassbox:Prices</c> section: model name prefix → USD per million tokens, plus <c>File</c> (a price list in
/// LiteLLM's <c>model_prices_and_context_window.json</c> format) and <c>FileCheckInterval</c>. Bound by
/// <see cref="PricingOptionsSetup"/>, which keeps the two settings out of the model list.
/// </summary>
public sealed class PricingOptions
{
    public static readonly TimeSpan DefaultFileCheckInterval = TimeSpan.FromSeconds(10);

    public Dictionary<string, ModelPrice> Prices { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Path of a price file; its entries win over the built-in list, configured entries win over both.</summary>
    public string? File { get; set; }

    /// <summary>How often the price file is checked for changes.</summary>
    public TimeSpan FileCheckInterval { get; set; } = DefaultFileCheckInterval;
}
