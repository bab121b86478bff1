namespace Glassbox.Gateway.Attribution;

/// <summary>
/// Reads W3C <c>baggage</c> (<c>key=value;property,key2=value2</c>, values percent-encoded) for the few keys
/// attribution looks for. A malformed header yields nothing (it is still forwarded unchanged).
/// </summary>
internal static class Baggage
{
    /// <summary>The W3C limits: a header past them is not read.</summary>
    private const int MaxHeaderLength = 8192;
    private const int MaxMembers = 180;

    /// <summary>Calls <paramref name="found"/> for each member whose key <paramref name="wanted"/> accepts; false when the header is malformed.</summary>
    public static bool TryRead(IEnumerable<string?> headerValues, Func<string, bool> wanted, Action<string, string> found)
    {
        var members = new List<(string Key, string Value)>();
        foreach (var header in headerValues)
        {
            if (header is null)
            {
                continue;
            }

            if (header.Length > MaxHeaderLength)
            {
                return false;
            }

            foreach (var member in header.Split(','))
            {
                if (member.AsSpan().Trim().IsEmpty)
                {
                    continue;
                }

                if (!TryParseMember(member, out var key, out var value) || members.Count == MaxMembers)
                {
                    return false;
                }

                members.Add((key, value));
            }
        }

        foreach (var (key, value) in members)
        {
            if (wanted(key))
            {
                found(key, value);
            }
        }

        return true;
    }

    private static bool TryParseMember(string member, out string key, out string value)
    {
        key = value = "";
        var pair = member.Split(';', 2)[0];
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return false;
        }

        key = pair[..equals].Trim();
        if (key.Length == 0 || !key.All(IsTokenChar))
        {
            return false;
        }

        return TryPercentDecode(pair.AsSpan(equals + 1).Trim(), out value);
    }

    /// <summary>Strict percent-decoding: every <c>%</c> starts two hex digits, and the bytes are valid UTF-8.</summary>
    private static bool TryPercentDecode(ReadOnlySpan<char> encoded, out string value)
    {
        value = "";
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '%')
            {
                if (i + 2 >= encoded.Length || !byte.TryParse(encoded.Slice(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var b))
                {
                    return false;
                }

                bytes.Add(b);
                i += 2;
            }
            else if (c > 0x7e || c < 0x21)
            {
                return false; // not a baggage-octet: raw spaces, quotes' neighbours and non-ASCII must be percent-encoded
            }
            else
            {
                bytes.Add((byte)c);
            }
        }

        try
        {
            value = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString([.. bytes]);
            return true;
        }
        catch (System.Text.DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>RFC 7230 token characters, which W3C baggage keys are made of.</summary>
    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
