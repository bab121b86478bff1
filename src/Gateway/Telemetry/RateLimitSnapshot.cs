using System.Collections.Frozen;
using System.Globalization;
using System.Net.Http.Headers;

namespace Glassbox.Gateway.Telemetry;

/// <summary>
/// Provider rate-limit headroom from one response: Anthropic's <c>anthropic-ratelimit-*</c> and
/// OpenAI's <c>x-ratelimit-*</c> headers, normalised to limit/remaining per kind.
/// </summary>
internal sealed class RateLimitSnapshot
{
    /// <summary>The kinds both providers report, in attribute and gauge form.</summary>
    public static readonly string[] Kinds = TelemetryNames.Own.RateLimitKinds;

    private enum Field
    {
        Limit,
        Remaining,
        Reset,
    }

    private readonly record struct Slot(int Kind, Field Field, bool Anthropic);

    /// <summary>The 24 header names, read in one pass over the response's headers (usually none of them is there).</summary>
    private static readonly FrozenDictionary<string, Slot> Slots = BuildSlots();

    private readonly long?[] _limit = new long?[Kinds.Length];
    private readonly long?[] _remaining = new long?[Kinds.Length];
    private readonly string?[] _reset = new string?[Kinds.Length];

    // Which slots an Anthropic header filled: it wins over the OpenAI spelling, whatever the header order.
    private int _anthropicFilled;

    public bool IsEmpty { get; private set; } = true;

    public long? Limit(int kind) => _limit[kind];
    public long? Remaining(int kind) => _remaining[kind];
    public string? Reset(int kind) => _reset[kind];

    /// <summary>Null when the response carries no rate-limit header.</summary>
    public static RateLimitSnapshot? Read(HttpResponseHeaders headers)
    {
        RateLimitSnapshot? snapshot = null;
        foreach (var (name, values) in headers.NonValidated)
        {
            if (name.Length < 12 || (name[0] | 0x20) is not ('a' or 'x') || !Slots.TryGetValue(name, out var slot))
            {
                continue;
            }

            (snapshot ??= new RateLimitSnapshot()).Set(slot, values.ToString());
        }

        return snapshot is { IsEmpty: false } ? snapshot : null;
    }

    private void Set(Slot slot, string text)
    {
        var bit = 1 << (slot.Kind * 3 + (int)slot.Field);
        if (!slot.Anthropic && (_anthropicFilled & bit) != 0)
        {
            return;
        }

        switch (slot.Field)
        {
            case Field.Reset:
                _reset[slot.Kind] = text;
                break;
            default:
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                {
                    return; // unparseable: the other provider's spelling may still fill the slot
                }

                (slot.Field == Field.Limit ? _limit : _remaining)[slot.Kind] = value;
                break;
        }

        IsEmpty = false;
        if (slot.Anthropic)
        {
            _anthropicFilled |= bit;
        }
    }

    private static FrozenDictionary<string, Slot> BuildSlots()
    {
        var slots = new Dictionary<string, Slot>(StringComparer.OrdinalIgnoreCase);
        for (var kind = 0; kind < Kinds.Length; kind++)
        {
            var dashed = Kinds[kind].Replace('_', '-');
            foreach (var (field, suffix) in new[] { (Field.Limit, "limit"), (Field.Remaining, "remaining"), (Field.Reset, "reset") })
            {
                slots[$"anthropic-ratelimit-{dashed}-{suffix}"] = new Slot(kind, field, Anthropic: true);
                slots[$"x-ratelimit-{suffix}-{dashed}"] = new Slot(kind, field, Anthropic: false);
            }
        }

        return slots.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
