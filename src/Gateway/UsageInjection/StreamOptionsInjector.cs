using System.Text.Json;

namespace Glassbox.Gateway.UsageInjection;

/// <summary>
/// Makes a streaming Chat Completions request ask for usage: adds <c>"stream_options":{"include_usage":true}</c>
/// (or <c>include_usage</c> to an existing <c>stream_options</c> object, or turns its <c>false</c> into
/// <c>true</c>) with the smallest byte edit, every other byte of the body unchanged. Keys are compared unescaped,
/// so <c>"stream\u005foptions"</c> counts; a body whose meaning is ambiguous (a duplicate <c>stream</c>,
/// <c>stream_options</c> or <c>include_usage</c>) or whose <c>stream_options</c> is not an object or null is not
/// touched.
/// </summary>
internal static class StreamOptionsInjector
{
    private static readonly byte[] Member = ""","stream_options":{"include_usage":true}"""u8.ToArray();
    private static readonly byte[] ObjectValue = """{"include_usage":true}"""u8.ToArray();
    private static readonly byte[] LeadingMember = "\"include_usage\":true,"u8.ToArray();
    private static readonly byte[] OnlyMember = "\"include_usage\":true"u8.ToArray();
    private static readonly byte[] True = "true"u8.ToArray();

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    public static StreamOptionsEdit TryInject(ReadOnlySpan<byte> body, out byte[]? edited)
    {
        edited = null;
        var scan = Scan(body);
        if (scan is null)
        {
            return StreamOptionsEdit.Unsafe;
        }

        var s = scan.Value;
        if (!s.Streaming || s.IncludeUsage == true)
        {
            return StreamOptionsEdit.NotNeeded;
        }

        edited = s switch
        {
            { OptionsKind: OptionsKind.Absent } => Splice(body, s.RootEnd, 0, Member),
            { OptionsKind: OptionsKind.Null } => Splice(body, s.OptionsValueStart, 4, ObjectValue),
            { IncludeUsage: false } => Splice(body, s.IncludeUsageValueStart, 5, True),
            { OptionsEmpty: true } => Splice(body, s.OptionsValueStart + 1, 0, OnlyMember),
            _ => Splice(body, s.OptionsValueStart + 1, 0, LeadingMember),
        };
        return StreamOptionsEdit.Injected;
    }

    private static byte[] Splice(ReadOnlySpan<byte> body, int at, int remove, ReadOnlySpan<byte> insert)
    {
        var result = new byte[body.Length - remove + insert.Length];
        body[..at].CopyTo(result);
        insert.CopyTo(result.AsSpan(at));
        body[(at + remove)..].CopyTo(result.AsSpan(at + insert.Length));
        return result;
    }

    /// <summary>Null when the body is not a JSON object or its meaning is ambiguous.</summary>
    private static BodyScan? Scan(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        var scan = new BodyScan();
        var streamSeen = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    scan.RootEnd = (int)reader.TokenStartIndex;
                    return reader.Read() ? null : scan; // trailing content after the object: not ours to edit
                }

                var isStream = reader.ValueTextEquals("stream"u8);
                var isOptions = reader.ValueTextEquals("stream_options"u8);
                reader.Read();
                if (isStream)
                {
                    if (streamSeen)
                    {
                        return null; // a second "stream": which one wins is up to the upstream's parser
                    }

                    streamSeen = true;
                    scan.Streaming = reader.TokenType == JsonTokenType.True;
                }
                else if (isOptions)
                {
                    if (!ReadOptions(ref reader, ref scan))
                    {
                        return null;
                    }

                    continue;
                }

                reader.Skip();
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return null; // not JSON, or a key with a lone surrogate escape that cannot be compared
        }

        return null; // the object never closed
    }

    private static bool ReadOptions(ref Utf8JsonReader reader, ref BodyScan scan)
    {
        if (scan.OptionsKind != OptionsKind.Absent)
        {
            return false; // a second stream_options: which one wins is up to the upstream's parser
        }

        scan.OptionsValueStart = (int)reader.TokenStartIndex;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                scan.OptionsKind = OptionsKind.Null;
                return true;
            case JsonTokenType.StartObject:
                scan.OptionsKind = OptionsKind.Object;
                break;
            default:
                return false;
        }

        scan.OptionsEmpty = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            scan.OptionsEmpty = false;
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isIncludeUsage)
            {
                if (scan.IncludeUsage is not null || reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                {
                    return false;
                }

                scan.IncludeUsage = reader.TokenType == JsonTokenType.True;
                scan.IncludeUsageValueStart = (int)reader.TokenStartIndex;
            }

            reader.Skip();
        }

        return true;
    }

    private enum OptionsKind
    {
        Absent,
        Null,
        Object,
    }

    private struct BodyScan
    {
        public bool Streaming;
        public int RootEnd;
        public OptionsKind OptionsKind;
        public int OptionsValueStart;
        public bool OptionsEmpty;
        public bool? IncludeUsage;
        public int IncludeUsageValueStart;
    }
}
