using System.Text.Json;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Dialects.Anthropic;

/// <summary>Reads the parts of Anthropic Messages JSON that become <see cref="ResponseFacts"/>.</summary>
internal static class AnthropicJson
{
    /// <summary>Handles one property of a message object (reader on its name); false when not a message property.</summary>
    public static bool TryReadMessageProperty(ref Utf8JsonReader reader, ResponseFacts facts)
    {
        if (reader.ValueTextEquals("id"u8))
        {
            facts.ResponseId = JsonRead.String(ref reader, facts.ResponseId);
        }
        else if (reader.ValueTextEquals("model"u8))
        {
            facts.ResponseModel = JsonRead.String(ref reader, facts.ResponseModel);
        }
        else if (reader.ValueTextEquals("stop_reason"u8))
        {
            facts.FinishReason = JsonRead.String(ref reader, facts.FinishReason);
        }
        else if (reader.ValueTextEquals("usage"u8))
        {
            if (JsonRead.StartObject(ref reader))
            {
                ReadUsage(ref reader, facts);
            }
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>Reads a message object (reader on its StartObject).</summary>
    public static void ReadMessage(ref Utf8JsonReader reader, ResponseFacts facts)
    {
        while (JsonRead.NextProperty(ref reader))
        {
            if (!TryReadMessageProperty(ref reader, facts))
            {
                JsonRead.SkipValue(ref reader);
            }
        }
    }

    /// <summary>
    /// Reads a usage object (reader on its StartObject). Values are cumulative: each one present
    /// overwrites the previous value, absent ones are kept.
    /// </summary>
    public static void ReadUsage(ref Utf8JsonReader reader, ResponseFacts facts)
    {
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                facts.InputTokens = JsonRead.Int64(ref reader, facts.InputTokens);
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                facts.OutputTokens = JsonRead.Int64(ref reader, facts.OutputTokens);
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                facts.CacheReadInputTokens = JsonRead.Int64(ref reader, facts.CacheReadInputTokens);
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                facts.CacheCreationInputTokens = JsonRead.Int64(ref reader, facts.CacheCreationInputTokens);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }
    }

    /// <summary>Reads a whole non-streaming body: a message, or <c>{"type":"error","error":{...}}</c>.</summary>
    public static void ReadBody(ReadOnlySpan<byte> json, ResponseFacts facts)
    {
        if (!JsonRead.StartRootObject(json, out var reader))
        {
            facts.RecordProblem("Anthropic response body is not a JSON object.");
            return;
        }

        var error = default(JsonErrorObject);
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("error"u8))
            {
                if (JsonRead.StartObject(ref reader))
                {
                    error.Read(ref reader);
                }
            }
            else if (!TryReadMessageProperty(ref reader, facts))
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        if (error.Seen)
        {
            facts.ErrorBodyType = error.TypeOrCode("error");
            facts.ErrorBodyMessage = error.Message;
        }

        facts.Completed = true;
    }
}
