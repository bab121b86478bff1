using System.Text;
using System.Text.Json;
using Glassbox.Gateway.Telemetry;

namespace Glassbox.Gateway.Requests;

/// <summary>
/// Reads the top-level fields of an Anthropic or OpenAI request body (<c>model</c>, <c>stream</c>, <c>messages</c>,
/// sampling parameters, <c>tools</c>) with one pass of <see cref="Utf8JsonReader"/>; their dialects share it.
/// </summary>
internal static class RequestFactsReader
{
    /// <summary>Returns null when the body is not a JSON object.</summary>
    /// <param name="inputIsMessages">The Responses API: <c>input</c> holds the prompt, like <c>messages</c>.</param>
    public static RequestFacts? TryRead(ReadOnlySpan<byte> body, bool inputIsMessages, bool captureInput)
    {
        var facts = new RequestFacts();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            StringBuilder? captured = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader;
                reader.Read();
                if (property.ValueTextEquals("model"u8) && reader.TokenType == JsonTokenType.String)
                {
                    facts.Model = TelemetryText.Name(StringOrNull(ref reader));
                }
                else if (property.ValueTextEquals("stream"u8))
                {
                    facts.Stream = reader.TokenType == JsonTokenType.True;
                    reader.Skip(); // a non-scalar value must not be read as top-level properties
                }
                else if ((property.ValueTextEquals("max_tokens"u8) || property.ValueTextEquals("max_completion_tokens"u8) || property.ValueTextEquals("max_output_tokens"u8))
                    && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var maxTokens))
                {
                    facts.MaxTokens = maxTokens;
                }
                else if (property.ValueTextEquals("temperature"u8) && reader.TokenType == JsonTokenType.Number)
                {
                    facts.Temperature = reader.GetDouble();
                }
                else if (property.ValueTextEquals("top_p"u8) && reader.TokenType == JsonTokenType.Number)
                {
                    facts.TopP = reader.GetDouble();
                }
                else if (property.ValueTextEquals("top_k"u8) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var topK))
                {
                    facts.TopK = topK;
                }
                else if (property.ValueTextEquals("stop_sequences"u8) || property.ValueTextEquals("stop"u8))
                {
                    facts.StopSequences = ReadStrings(ref reader);
                }
                else if (property.ValueTextEquals("messages"u8) || (inputIsMessages && property.ValueTextEquals("input"u8)))
                {
                    var start = (int)reader.TokenStartIndex;
                    facts.MessageCount = CountItems(ref reader);
                    if (captureInput)
                    {
                        (captured ??= new StringBuilder()).Append(Encoding.UTF8.GetString(body[start..(int)reader.BytesConsumed]));
                    }
                }
                else if (property.ValueTextEquals("tools"u8) && reader.TokenType == JsonTokenType.StartArray)
                {
                    facts.ToolCount = CountItems(ref reader);
                }
                else if (property.ValueTextEquals("stream_options"u8) && reader.TokenType == JsonTokenType.StartObject)
                {
                    facts.IncludeUsage = ReadIncludeUsage(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return null;
            }

            facts.CapturedInput = captured?.ToString();
            return facts;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // Valid JSON the reader cannot transcode (a lone surrogate escape such as "\ud800" in a property
            // name, found by RequestFactsReaderProperties): forwarded; telemetry keeps what was read before it.
            return facts;
        }
    }

    /// <summary>The string value, or null when it is not valid UTF-8 (the upstream judges the body; telemetry just skips it).</summary>
    private static string? StringOrNull(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The items of an array (reader on its StartArray); a string is one item, anything else none.</summary>
    public static int CountItems(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return 1; // Responses API: "input": "plain text" is one message.
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            reader.Skip();
        }

        return count;
    }

    /// <summary>A string or an array of strings (stop sequences), each bounded; null when none.</summary>
    public static string[]? ReadStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return StringOrNull(ref reader) is { } single ? [TelemetryText.Verbatim(single)!] : null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String && values.Count < TelemetryText.MaxListItems && StringOrNull(ref reader) is { } value)
            {
                values.Add(TelemetryText.Verbatim(value)!);
            }
            else
            {
                reader.Skip();
            }
        }

        return values.Count == 0 ? null : [.. values];
    }

    private static bool ReadIncludeUsage(ref Utf8JsonReader reader)
    {
        var includeUsage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isIncludeUsage)
            {
                includeUsage = reader.TokenType == JsonTokenType.True;
                reader.Skip();
            }
            else
            {
                reader.Skip();
            }
        }

        return includeUsage;
    }
}
