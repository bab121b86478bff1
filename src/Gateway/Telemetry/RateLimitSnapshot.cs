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

    private const string AnthropicPrefix = "anthropic-ratelimit-"; // then kind, '-', field
    private const string OpenAIPrefix = "x-ratelimit-";            // then field, '-', kind

    /// <summary>The kinds as they are spelled in header names.</summary>
    private static readonly string[] DashedKinds = [.. Kinds.Select(kind => kind.Replace('_', '-'))];

    private static readonly string[] FieldNames = ["limit", "remaining", "reset"];

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
            if (name.Length < OpenAIPrefix.Length || (name[0] | 0x20) is not ('a' or 'x') || !TryParseName(name, out var slot))
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

    /// <summary>
    /// Which of the 24 names this is, compared piece by piece against the lower-case spellings: a case-insensitive hash
    /// of each whole name cost about 400 instructions per header (and the framework's case-insensitive prefix test
    /// about 350), and a provider sends a dozen of them on every response.
    /// </summary>
    private static bool TryParseName(string name, out Slot slot)
    {
        slot = default;
        var text = name.AsSpan();
        if (StartsWithIgnoringCase(text, AnthropicPrefix))
        {
            text = text[AnthropicPrefix.Length..];
            return TryStripWord(ref text, DashedKinds, out var kind) && TryWholeWord(text, FieldNames, out var field)
                && Fill(out slot, kind, field, anthropic: true);
        }

        if (StartsWithIgnoringCase(text, OpenAIPrefix))
        {
            text = text[OpenAIPrefix.Length..];
            return TryStripWord(ref text, FieldNames, out var field) && TryWholeWord(text, DashedKinds, out var kind)
                && Fill(out slot, kind, field, anthropic: false);
        }

        return false;
    }

    /// <summary>Removes "word-" from the start of <paramref name="text"/>, for the first of <paramref name="words"/> it starts with.</summary>
    private static bool TryStripWord(ref ReadOnlySpan<char> text, string[] words, out int index)
    {
        for (index = 0; index < words.Length; index++)
        {
            var word = words[index];
            if (text.Length > word.Length && text[word.Length] == '-' && StartsWithIgnoringCase(text, word))
            {
                text = text[(word.Length + 1)..];
                return true;
            }
        }

        return false;
    }

    private static bool TryWholeWord(ReadOnlySpan<char> text, string[] words, out int index)
    {
        for (index = 0; index < words.Length; index++)
        {
            if (text.Length == words[index].Length && StartsWithIgnoringCase(text, words[index]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="text"/> starts with <paramref name="lower"/> (ASCII lower-case letters and '-'), ignoring the case of letters.</summary>
    private static bool StartsWithIgnoringCase(ReadOnlySpan<char> text, string lower)
    {
        if (text.Length < lower.Length)
        {
            return false;
        }

        for (var i = 0; i < lower.Length; i++)
        {
            var (c, l) = (text[i], lower[i]);
            if (c != l && (!char.IsAsciiLetterLower(l) || (c | 0x20) != l))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Fill(out Slot slot, int kind, int field, bool anthropic)
    {
        slot = new Slot(kind, (Field)field, anthropic);
        return true;
    }
}
