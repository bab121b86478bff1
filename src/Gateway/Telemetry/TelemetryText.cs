namespace Glassbox.Gateway.Telemetry;

/// <summary>
/// Bounds a string that came from a peer (request body, upstream body or header) before it becomes a
/// span name, attribute, metric dimension or log value: at most a fixed number of characters, control
/// characters replaced, so a hostile peer can neither make telemetry hold megabytes nor forge log lines.
/// </summary>
internal static class TelemetryText
{
    /// <summary>Names and identifiers: model, response id, finish reason, error type, content encoding, header values.</summary>
    public const int MaxNameChars = 256;

    /// <summary>Human-readable messages: the provider's error message (span status description).</summary>
    public const int MaxMessageChars = 1024;

    /// <summary>Items kept from a list-valued request field (<c>stop</c> sequences).</summary>
    public const int MaxListItems = 16;

    /// <summary>Marks where a value was cut.</summary>
    public const char CutMark = '…';

    public static string? Name(string? value) => Bound(value, MaxNameChars);

    public static string? Message(string? value) => Bound(value, MaxMessageChars);

    /// <summary>A value whose control characters are meaningful (a stop sequence of <c>"\n\n"</c>) and never logged: only cut.</summary>
    public static string? Verbatim(string? value) => Bound(value, MaxNameChars, keepControl: true);

    /// <summary>
    /// <paramref name="value"/> itself when it is short and clean (no allocation), else a copy cut to
    /// <paramref name="maxChars"/> (ending in <see cref="CutMark"/>) with control characters as U+FFFD.
    /// </summary>
    public static string? Bound(string? value, int maxChars, bool keepControl = false)
    {
        if (value is null)
        {
            return null;
        }

        var cut = value.Length > maxChars;
        if (!cut && (keepControl || !HasControl(value)))
        {
            return value;
        }

        var length = cut ? maxChars - 1 : value.Length;
        if (cut && length > 0 && char.IsHighSurrogate(value[length - 1]))
        {
            length--; // never split a surrogate pair
        }

        return string.Create(length + (cut ? 1 : 0), (value, length, cut, keepControl), static (span, state) =>
        {
            var (source, length, cut, keepControl) = state;
            for (var i = 0; i < length; i++)
            {
                var c = source[i];
                span[i] = !keepControl && char.IsControl(c) ? '\uFFFD' : c;
            }

            if (cut)
            {
                span[length] = CutMark;
            }
        });
    }

    private static bool HasControl(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
