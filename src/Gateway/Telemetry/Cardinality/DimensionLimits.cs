using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Glassbox.Gateway.Telemetry.Cardinality;

/// <summary>One <see cref="DimensionValueLimit"/> per dimension name, all with the same cap and overflow counter.</summary>
internal sealed class DimensionLimits(int maxValuesPerDimension, Counter<long> overflow)
{
    private readonly ConcurrentDictionary<string, DimensionValueLimit> _limits = new(StringComparer.Ordinal);

    public int MaxValuesPerDimension { get; } = maxValuesPerDimension;

    public DimensionValueLimit For(string dimension) =>
        _limits.GetOrAdd(dimension, static (name, state) => new DimensionValueLimit(name, state.Max, state.Overflow), (Max: MaxValuesPerDimension, Overflow: overflow));
}
