namespace Glassbox.Gateway.Pricing;

/// <summary>USD per million tokens for one model (or model-name prefix).</summary>
public sealed class ModelPrice
{
    public decimal Input { get; set; }
    public decimal Output { get; set; }

    /// <summary>Price of cache reads; defaults to <see cref="Input"/> when not set.</summary>
    public decimal? CacheRead { get; set; }

    /// <summary>Price of cache writes; defaults to <see cref="Input"/> when not set.</summary>
    public decimal? CacheWrite { get; set; }
}
