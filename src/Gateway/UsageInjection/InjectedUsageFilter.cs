using System.Buffers;
using System.Text.Json;

namespace Glassbox.Gateway.UsageInjection;

/// <summary>
/// Takes out of a Chat Completions stream exactly what an injected <c>"include_usage":true</c> made the upstream add:
/// the usage chunk (<c>"choices":[]</c> with a <c>usage</c> object) and the <c>"usage":null</c> member of every other
/// chunk, so the client gets the bytes it would have got without the injection. Works on whole events (an event is
/// passed on when its blank line arrives, which is when the upstream flushed it); everything else — comments,
/// <c>[DONE]</c>, errors, events it cannot read — passes unchanged. Bytes of an unfinished event at the end are
/// passed on as they are.
/// </summary>
internal sealed class InjectedUsageFilter
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };
    private readonly ArrayBufferWriter<byte> _event = new(1024);
    private bool _lineHasContent;
    private bool _afterCarriageReturn;

    /// <summary>An event just ended with a CR: an LF right after it belongs to it (CRLF framing).</summary>
    private PendingLineFeed _pendingLineFeed;

    private enum PendingLineFeed
    {
        None,
        Pass,
        Drop,
    }

    /// <summary>Feeds upstream bytes; writes what the client gets.</summary>
    public void Write(ReadOnlySpan<byte> upstream, IBufferWriter<byte> client)
    {
        var eventStart = 0;
        for (var i = 0; i < upstream.Length; i++)
        {
            var b = upstream[i];
            if (_pendingLineFeed != PendingLineFeed.None)
            {
                var pending = _pendingLineFeed;
                _pendingLineFeed = PendingLineFeed.None;
                if (b == (byte)'\n')
                {
                    if (pending == PendingLineFeed.Pass)
                    {
                        client.Write("\n"u8);
                    }

                    _afterCarriageReturn = false;
                    eventStart = i + 1;
                    continue;
                }
            }

            bool lineEnded;
            if (b == (byte)'\r')
            {
                lineEnded = true;
                _afterCarriageReturn = true;
            }
            else if (b == (byte)'\n')
            {
                lineEnded = !_afterCarriageReturn;
                _afterCarriageReturn = false;
            }
            else
            {
                lineEnded = false;
                _afterCarriageReturn = false;
                _lineHasContent = true;
            }

            if (!lineEnded)
            {
                continue;
            }

            if (_lineHasContent)
            {
                _lineHasContent = false;
                continue;
            }

            // A blank line: the event ends here.
            _event.Write(upstream[eventStart..(i + 1)]);
            eventStart = i + 1;
            var dropped = EmitEvent(client);
            if (b == (byte)'\r')
            {
                _pendingLineFeed = dropped ? PendingLineFeed.Drop : PendingLineFeed.Pass;
            }
        }

        _event.Write(upstream[eventStart..]);
    }

    /// <summary>At the end of the stream: an unfinished event is passed on as it is.</summary>
    public void Complete(IBufferWriter<byte> client)
    {
        client.Write(_event.WrittenSpan);
        _event.ResetWrittenCount();
    }

    /// <returns>True when the event was taken out.</returns>
    private bool EmitEvent(IBufferWriter<byte> client)
    {
        var bytes = _event.WrittenSpan;
        try
        {
            if (SingleDataValue(bytes, out var valueStart, out var valueLength))
            {
                var json = bytes.Slice(valueStart, valueLength);
                var (isUsageChunk, nullUsageStart, nullUsageEnd) = Inspect(json);
                if (isUsageChunk)
                {
                    return true;
                }

                if (nullUsageStart >= 0)
                {
                    client.Write(bytes[..(valueStart + nullUsageStart)]);
                    client.Write(bytes[(valueStart + nullUsageEnd)..]);
                    return false;
                }
            }

            client.Write(bytes);
            return false;
        }
        finally
        {
            _event.ResetWrittenCount();
        }
    }

    /// <summary>True when the event is one <c>data:</c> line (and its blank line); gives the value's position.</summary>
    private static bool SingleDataValue(ReadOnlySpan<byte> eventBytes, out int valueStart, out int valueLength)
    {
        valueStart = valueLength = 0;
        if (!eventBytes.StartsWith("data:"u8))
        {
            return false;
        }

        var lineEnd = eventBytes.IndexOfAny((byte)'\r', (byte)'\n');
        var rest = eventBytes[lineEnd..];
        // Whatever follows the data line must be line breaks only (the blank line).
        if (rest.IndexOfAnyExcept((byte)'\r', (byte)'\n') >= 0)
        {
            return false;
        }

        valueStart = eventBytes.Length > 5 && eventBytes[5] == (byte)' ' ? 6 : 5;
        valueLength = lineEnd - valueStart;
        return valueLength > 0;
    }

    /// <summary>
    /// Reads the top level of a chunk: whether it is the usage chunk, and the byte range of a <c>"usage":null</c>
    /// member together with the comma that joins it to its neighbour (-1 when there is none).
    /// </summary>
    private static (bool IsUsageChunk, int NullUsageStart, int NullUsageEnd) Inspect(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty || json[0] != (byte)'{')
        {
            return (false, -1, -1);
        }

        try
        {
            return InspectObject(json);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return (false, -1, -1); // not a chunk the injection could have touched: passed on as it is
        }
    }

    private static (bool IsUsageChunk, int NullUsageStart, int NullUsageEnd) InspectObject(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        bool emptyChoices = false, usageObject = false;
        int usageStart = -1, usageEnd = -1, usageNulls = 0;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = (int)reader.TokenStartIndex;
            var isChoices = reader.ValueTextEquals("choices"u8);
            var isUsage = reader.ValueTextEquals("usage"u8);
            reader.Read();
            if (isChoices && reader.TokenType == JsonTokenType.StartArray)
            {
                reader.Read();
                emptyChoices = reader.TokenType == JsonTokenType.EndArray;
                if (!emptyChoices)
                {
                    reader.Skip();
                    SkipToArrayEnd(ref reader);
                }
            }
            else if (isUsage && reader.TokenType == JsonTokenType.Null)
            {
                usageNulls++;
                usageStart = nameStart;
                usageEnd = (int)reader.BytesConsumed;
            }
            else
            {
                usageObject |= isUsage && reader.TokenType == JsonTokenType.StartObject;
                reader.Skip();
            }
        }

        if (emptyChoices && usageObject)
        {
            return (true, -1, -1);
        }

        return usageNulls == 1 ? WithJoiningComma(json, usageStart, usageEnd) : (false, -1, -1);
    }

    private static void SkipToArrayEnd(ref Utf8JsonReader reader)
    {
        while (reader.TokenType != JsonTokenType.EndArray && reader.Read())
        {
            reader.Skip();
        }
    }

    /// <summary>Extends <c>"usage":null</c> over the comma before it (or, when it is the first member, the comma and space after).</summary>
    private static (bool, int, int) WithJoiningComma(ReadOnlySpan<byte> json, int start, int end)
    {
        var before = json[..start].TrimEnd(" \t\r\n"u8);
        if (before.Length > 0 && before[^1] == (byte)',')
        {
            return (false, before.Length - 1, end);
        }

        var after = json[end..];
        var comma = after.IndexOfAnyExcept(" \t\r\n"u8);
        if (comma < 0 || after[comma] != (byte)',')
        {
            return (false, start, end);
        }

        var next = after[(comma + 1)..].IndexOfAnyExcept(" \t\r\n"u8);
        return (false, start, end + comma + 1 + Math.Max(0, next));
    }
}
