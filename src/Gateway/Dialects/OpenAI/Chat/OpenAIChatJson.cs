using System.Text.Json;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Dialects.OpenAI.Chat;

/// <summary>Reads OpenAI Chat Completions JSON: streaming chunks and whole <c>chat.completion</c> bodies share one shape.</summary>
internal static class OpenAIChatJson
{
    /// <summary>
    /// Reads a chunk or completion object (reader on its StartObject) into <paramref name="facts"/>;
    /// a top-level <c>error</c> object goes to <paramref name="error"/>. Returns true when a
    /// <c>choices[].delta</c> carried generated content.
    /// </summary>
    public static bool ReadObject(ref Utf8JsonReader reader, ResponseFacts facts, ref JsonErrorObject error)
    {
        var content = false;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("id"u8))
            {
                facts.ResponseId = JsonRead.String(ref reader, facts.ResponseId);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                facts.ResponseModel = JsonRead.String(ref reader, facts.ResponseModel);
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                if (JsonRead.StartArray(ref reader))
                {
                    while (JsonRead.NextObjectElement(ref reader))
                    {
                        content |= ReadChoice(ref reader, facts);
                    }
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                if (JsonRead.StartObject(ref reader))
                {
                    OpenAIUsageJson.Read(ref reader, facts);
                }
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                if (JsonRead.StartObject(ref reader))
                {
                    error.Read(ref reader);
                }
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        return content;
    }

    /// <summary>Reads a whole non-streaming body: a <c>chat.completion</c>, or <c>{"error":{...}}</c>.</summary>
    public static void ReadBody(ReadOnlySpan<byte> json, ResponseFacts facts)
    {
        if (!JsonRead.StartRootObject(json, out var reader))
        {
            facts.RecordProblem("OpenAI response body is not a JSON object.");
            return;
        }

        var error = default(JsonErrorObject);
        ReadObject(ref reader, facts, ref error);
        if (error.Seen)
        {
            facts.ErrorBodyType = error.TypeOrCode("error");
            facts.ErrorBodyMessage = error.Message;
        }

        facts.Completed = true;
    }

    private static bool ReadChoice(ref Utf8JsonReader reader, ResponseFacts facts)
    {
        var content = false;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("finish_reason"u8))
            {
                facts.FinishReason = JsonRead.String(ref reader, facts.FinishReason);
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                if (JsonRead.StartObject(ref reader))
                {
                    content |= ReadDelta(ref reader, facts);
                }
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        return content;
    }

    /// <summary>
    /// Generated content is a non-empty <c>content</c>, <c>refusal</c>, <c>reasoning_content</c>
    /// (or <c>reasoning</c>), or a tool call / function call carrying a name or arguments.
    /// The opening <c>{"role":"assistant","content":""}</c> is not content.
    /// </summary>
    private static bool ReadDelta(ref Utf8JsonReader reader, ResponseFacts facts)
    {
        var content = false;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("content"u8))
            {
                content |= JsonRead.NonEmptyString(ref reader);
                facts.Output?.Append(ref reader);
            }
            else if (reader.ValueTextEquals("refusal"u8)
                || reader.ValueTextEquals("reasoning_content"u8)
                || reader.ValueTextEquals("reasoning"u8))
            {
                content |= JsonRead.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                if (JsonRead.StartArray(ref reader))
                {
                    while (JsonRead.NextObjectElement(ref reader))
                    {
                        while (JsonRead.NextProperty(ref reader))
                        {
                            if (reader.ValueTextEquals("function"u8))
                            {
                                if (JsonRead.StartObject(ref reader))
                                {
                                    content |= ReadFunction(ref reader);
                                }
                            }
                            else
                            {
                                JsonRead.SkipValue(ref reader);
                            }
                        }
                    }
                }
            }
            else if (reader.ValueTextEquals("function_call"u8))
            {
                if (JsonRead.StartObject(ref reader))
                {
                    content |= ReadFunction(ref reader);
                }
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        return content;
    }

    private static bool ReadFunction(ref Utf8JsonReader reader)
    {
        var content = false;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("name"u8) || reader.ValueTextEquals("arguments"u8))
            {
                content |= JsonRead.NonEmptyString(ref reader);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        return content;
    }
}
