using System.Text;

namespace Glassbox.Gateway.Attribution;

/// <summary>Makes a caller-supplied attribution value safe to record: control characters removed, at most 256 UTF-8 bytes.</summary>
internal static class AttributionValue
{
    public const int MaxBytes = 256;

    /// <summary>The cleaned value, or null when nothing printable is left.</summary>
    public static string? Clean(ReadOnlySpan<char> raw)
    {
        var trimmed = raw.Trim();
        if (trimmed.IsEmpty)
        {
            return null;
        }

        var builder = new StringBuilder(Math.Min(trimmed.Length, MaxBytes));
        var bytes = 0;
        foreach (var rune in trimmed.EnumerateRunes())
        {
            if (Rune.IsControl(rune))
            {
                continue;
            }

            var length = rune.Utf8SequenceLength;
            if (bytes + length > MaxBytes)
            {
                break; // truncated on a character boundary, never inside one
            }

            bytes += length;
            builder.Append(rune.ToString());
        }

        return builder.Length == 0 ? null : builder.ToString();
    }
}
