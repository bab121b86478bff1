namespace Glassbox.Gateway.Telemetry.Redaction;

/// <summary>
/// Replaces the value of every <c>key</c> query parameter (Gemini's query-string API key, any route) in a text
/// that may hold a URL or a query: <c>…/v1beta/models/m:generateContent?alt=sse&amp;key=AIza…</c> becomes
/// <c>…?alt=sse&amp;key=Redacted</c>. OpenTelemetry's HTTP instrumentations redact every query value by default,
/// but an operator can switch that off to see the others; a key is never wanted in telemetry.
/// </summary>
internal static class QueryKeyRedaction
{
    /// <summary>What a key's value becomes: the word OpenTelemetry's own query redaction writes.</summary>
    public const string Replacement = "Redacted";

    private const string Marker = "key=";

    /// <summary>True when the text has a <c>key=</c> at all: the cheap test before <see cref="Redact"/>.</summary>
    public static bool MayHoldKey(string text) => IndexOfMarker(text, 0) >= 0;

    /// <summary>The text with the value of each <c>key</c> parameter (name case-insensitive, as ASP.NET Core reads it) replaced; the same instance when there is none.</summary>
    public static string Redact(string text)
    {
        var at = IndexOfMarker(text, 0);
        if (at < 0)
        {
            return text;
        }

        System.Text.StringBuilder? redacted = null;
        var copied = 0;
        for (; at >= 0; at = IndexOfMarker(text, at + Marker.Length))
        {
            // A parameter name starts the text (a bare query, as url.query holds it) or follows '?', '&' or ';'.
            if (at > 0 && text[at - 1] is not ('?' or '&' or ';'))
            {
                continue;
            }

            var valueStart = at + Marker.Length;
            var valueEnd = valueStart;
            while (valueEnd < text.Length && !EndsValue(text[valueEnd]))
            {
                valueEnd++;
            }

            if (valueEnd == valueStart || text.AsSpan(valueStart, valueEnd - valueStart).SequenceEqual(Replacement))
            {
                continue;
            }

            redacted ??= new System.Text.StringBuilder(text.Length);
            redacted.Append(text, copied, valueStart - copied).Append(Replacement);
            copied = valueEnd;
        }

        return redacted is null ? text : redacted.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>
    /// Where the next <c>key=</c> (name in any case) starts, at or after <paramref name="from"/>; -1 if none. Every
    /// string attribute of every span passes here, so it looks for the rare '=' with a vectorised search and checks the
    /// three letters before it: a case-insensitive substring search is many times slower with invariant globalization.
    /// ASCII case folding is exact here: no other character folds to k, e or y under ordinal ignore-case.
    /// </summary>
    private static int IndexOfMarker(string text, int from)
    {
        var nameLength = Marker.Length - 1;
        for (var start = from + nameLength; start < text.Length;)
        {
            var equals = text.AsSpan(start).IndexOf('=');
            if (equals < 0)
            {
                return -1;
            }

            var at = start + equals;
            if ((text[at - 3] | 0x20) == 'k' && (text[at - 2] | 0x20) == 'e' && (text[at - 1] | 0x20) == 'y')
            {
                return at - nameLength;
            }

            start = at + 1;
        }

        return -1;
    }

    private static bool EndsValue(char c) => c is '&' or '#' or ';' or '"' or '\'' or '<' or '>' or ',' || char.IsWhiteSpace(c) || char.IsControl(c);
}
