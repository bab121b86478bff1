namespace Glassbox.Gateway.Dialects;

/// <summary>
/// Token counts of one call as the semantic conventions define them, computed once from the provider's raw
/// counts by its dialect: <see cref="Input"/> includes cache reads and writes, <see cref="Output"/> includes
/// reasoning. Null where the provider reported nothing.
/// </summary>
internal readonly record struct TokenUsage(long? Input, long? Output, long? CacheRead, long? CacheCreation, long? Reasoning)
{
    /// <summary>Input tokens billed at the plain input price: neither read from nor written to a cache.</summary>
    public long UncachedInput => Math.Max(0, (Input ?? 0) - (CacheRead ?? 0) - (CacheCreation ?? 0));

    public bool Reported => Input is not null || Output is not null;
}
