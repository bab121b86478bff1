namespace Glassbox.Gateway.Pricing;

/// <summary>
/// USD per million tokens for one model (or model-name prefix). Providers that charge more for long prompts
/// (Claude Sonnet's and Gemini Pro's 200k tier) get the <c>LongContext*</c> prices above <see cref="LongContextThreshold"/>.
/// </summary>
public sealed class ModelPrice
{
    public decimal Input { get; set; }

    /// <summary>Output tokens, reasoning or thinking tokens included (every provider bills them as output).</summary>
    public decimal Output { get; set; }

    /// <summary>Price of cache reads; defaults to <see cref="Input"/> when not set.</summary>
    public decimal? CacheRead { get; set; }

    /// <summary>Price of cache writes; defaults to <see cref="Input"/> when not set.</summary>
    public decimal? CacheWrite { get; set; }

    /// <summary>Prompt size (input tokens, cached ones included) above which the long-context prices apply.</summary>
    public long? LongContextThreshold { get; set; }

    /// <summary>Input price above the threshold; defaults to <see cref="Input"/>.</summary>
    public decimal? LongContextInput { get; set; }

    /// <summary>Output price above the threshold; defaults to <see cref="Output"/>.</summary>
    public decimal? LongContextOutput { get; set; }

    /// <summary>Cache-read price above the threshold; defaults to <see cref="CacheRead"/>, then the long-context input price.</summary>
    public decimal? LongContextCacheRead { get; set; }

    /// <summary>Cache-write price above the threshold; defaults to <see cref="CacheWrite"/>, then the long-context input price.</summary>
    public decimal? LongContextCacheWrite { get; set; }
}
