using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Glassbox.Gateway.Telemetry.Cardinality;

/// <summary>
/// Caps the distinct values one metric dimension may take: the first <c>maxValues</c> values seen are
/// kept as they are, any other is recorded as <see cref="OverflowValue"/> and counted (apply it once
/// per call and dimension, and use the result for every instrument). A value from a request (a model
/// name, a team header) cannot then grow the number of series without bound.
/// </summary>
internal sealed class DimensionValueLimit
{
    public const string OverflowValue = "_other";

    private readonly ConcurrentDictionary<string, bool> _admitted = new(StringComparer.Ordinal);
    private readonly Lock _admitting = new();
    private readonly int _maxValues;
    private readonly Counter<long> _overflow;
    private readonly KeyValuePair<string, object?> _dimensionTag;

    public DimensionValueLimit(string dimension, int maxValues, Counter<long> overflow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxValues, 1);
        Dimension = dimension;
        _maxValues = maxValues;
        _overflow = overflow;
        _dimensionTag = new(TelemetryNames.Own.MetricDimension, dimension);
    }

    public string Dimension { get; }

    /// <summary>The value to record: <paramref name="value"/> itself while there is room (or it was seen before), else <see cref="OverflowValue"/>.</summary>
    public string? Apply(string? value)
    {
        if (value is null || _admitted.ContainsKey(value))
        {
            return value;
        }

        lock (_admitting)
        {
            if (_admitted.ContainsKey(value) || (_admitted.Count < _maxValues && _admitted.TryAdd(value, true)))
            {
                return value;
            }
        }

        _overflow.Add(1, _dimensionTag);
        return OverflowValue;
    }
}
