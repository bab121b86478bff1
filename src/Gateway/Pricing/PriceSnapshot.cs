using System.Collections.Frozen;

namespace Glassbox.Gateway.Pricing;

/// <summary>One immutable price list; a model finds the entry with the longest matching name prefix.</summary>
internal sealed class PriceSnapshot
{
    private readonly FrozenDictionary<string, (string Entry, ModelPrice Price)> _prices;
    private readonly int _longestPrefix;

    public PriceSnapshot(IEnumerable<IReadOnlyDictionary<string, ModelPrice>> layers)
    {
        var merged = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var layer in layers)
        {
            foreach (var (model, price) in layer)
            {
                merged[model] = price;
            }
        }

        _prices = merged.ToFrozenDictionary(p => p.Key, p => (p.Key, p.Value), StringComparer.OrdinalIgnoreCase);
        _longestPrefix = merged.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max();
    }

    public bool TryFind(string model, out string entry, out ModelPrice price)
    {
        var span = model.AsSpan();
        var lookup = _prices.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var length = Math.Min(span.Length, _longestPrefix); length > 0; length--)
        {
            if (lookup.TryGetValue(span[..length], out var found))
            {
                (entry, price) = found;
                return true;
            }
        }

        entry = "";
        price = null!;
        return false;
    }
}
