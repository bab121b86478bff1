using System.Text.Json;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Dialects.Gemini;

/// <summary>
/// Reads one <c>GenerateContentResponse</c> (a whole body, one SSE event or one element of the JSON-array stream) into
/// <see cref="ResponseFacts"/>: <c>responseId</c>, <c>modelVersion</c>, each candidate's <c>finishReason</c> and parts,
/// <c>promptFeedback.blockReason</c>, <c>usageMetadata</c> and a <c>google.rpc.Status</c> <c>error</c>.
/// </summary>
internal static class GeminiJson
{
    /// <summary>What one response object held beyond what was written to the facts.</summary>
    public struct Chunk
    {
        /// <summary>A candidate part with generated content: text, a thought, or a function call.</summary>
        public bool HasContent;

        /// <summary>A candidate's <c>finishReason</c>, or the prompt's <c>blockReason</c>: the answer is whole.</summary>
        public bool Finished;

        public GeminiError Error;
    }

    /// <summary>Reads the response object the reader is on (StartObject).</summary>
    public static Chunk ReadResponse(ref Utf8JsonReader reader, ResponseFacts facts)
    {
        var chunk = default(Chunk);
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("candidates"u8))
            {
                if (JsonRead.StartArray(ref reader))
                {
                    while (JsonRead.NextObjectElement(ref reader))
                    {
                        ReadCandidate(ref reader, facts, ref chunk);
                    }
                }
            }
            else if (reader.ValueTextEquals("usageMetadata"u8))
            {
                if (JsonRead.StartObject(ref reader))
                {
                    ReadUsage(ref reader, facts);
                }
            }
            else if (reader.ValueTextEquals("responseId"u8))
            {
                facts.ResponseId = JsonRead.String(ref reader, facts.ResponseId);
            }
            else if (reader.ValueTextEquals("modelVersion"u8))
            {
                facts.ResponseModel = JsonRead.String(ref reader, facts.ResponseModel);
            }
            else if (reader.ValueTextEquals("promptFeedback"u8))
            {
                if (JsonRead.StartObject(ref reader))
                {
                    chunk.Finished |= ReadPromptFeedback(ref reader, facts);
                }
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                if (JsonRead.StartObject(ref reader))
                {
                    chunk.Error.Read(ref reader);
                }
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        return chunk;
    }

    /// <summary>
    /// Reads one response object given whole and records what it said; false when it is not an object.
    /// </summary>
    /// <param name="streamed">One chunk of a stream (content timing, an error is a stream error) rather than a whole body.</param>
    public static bool TryRead(ReadOnlySpan<byte> json, ResponseFacts facts, long timestamp, bool streamed, out bool finished)
    {
        finished = false;
        if (!JsonRead.StartRootObject(json, out var reader))
        {
            return false;
        }

        var chunk = ReadResponse(ref reader, facts);
        finished = chunk.Finished;
        if (streamed && chunk.HasContent)
        {
            facts.MarkContentDelta(timestamp);
        }

        if (chunk.Error.Seen)
        {
            var type = chunk.Error.Status ?? "error";
            if (streamed)
            {
                facts.StreamErrorType = type;
                facts.StreamErrorMessage = chunk.Error.Message;
            }
            else
            {
                facts.ErrorBodyType = type;
                facts.ErrorBodyMessage = chunk.Error.Message;
            }

            facts.ErrorRetryAfter = chunk.Error.RetryDelay;
        }

        return true;
    }

    /// <summary>A candidate (reader on its StartObject): its parts and its <c>finishReason</c>.</summary>
    private static void ReadCandidate(ref Utf8JsonReader reader, ResponseFacts facts, ref Chunk chunk)
    {
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("content"u8))
            {
                if (JsonRead.StartObject(ref reader))
                {
                    while (JsonRead.NextProperty(ref reader))
                    {
                        if (!reader.ValueTextEquals("parts"u8))
                        {
                            JsonRead.SkipValue(ref reader);
                        }
                        else if (JsonRead.StartArray(ref reader))
                        {
                            while (JsonRead.NextObjectElement(ref reader))
                            {
                                chunk.HasContent |= ReadPart(ref reader, facts);
                            }
                        }
                    }
                }
            }
            else if (reader.ValueTextEquals("finishReason"u8))
            {
                var finish = JsonRead.String(ref reader, facts.FinishReason);
                if (finish is not null)
                {
                    facts.FinishReason = finish;
                    chunk.Finished = true;
                }
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }
    }

    /// <summary>
    /// A part (reader on its StartObject): a non-empty <c>text</c>, a <c>thought</c> part or a <c>functionCall</c> is
    /// generated content; only the text of non-thought parts is captured (content capture on).
    /// </summary>
    private static bool ReadPart(ref Utf8JsonReader reader, ResponseFacts facts)
    {
        bool hasText = false, thought = false, call = false;
        string? text = null;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("text"u8))
            {
                if (facts.Output is not null)
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        text = reader.GetString();
                        hasText = text is { Length: > 0 };
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    hasText = JsonRead.NonEmptyString(ref reader);
                }
            }
            else if (reader.ValueTextEquals("thought"u8))
            {
                reader.Read();
                thought = reader.TokenType == JsonTokenType.True;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("functionCall"u8))
            {
                reader.Read();
                call = reader.TokenType == JsonTokenType.StartObject;
                reader.Skip();
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        if (!thought && text is not null)
        {
            facts.Output?.Append(text);
        }

        return hasText || thought || call;
    }

    /// <summary><c>blockReason</c> of a refused prompt (true when there is one): the answer is whole, and that is why it is empty.</summary>
    private static bool ReadPromptFeedback(ref Utf8JsonReader reader, ResponseFacts facts)
    {
        var blocked = false;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("blockReason"u8))
            {
                var block = JsonRead.String(ref reader, facts.FinishReason);
                if (block is not null)
                {
                    facts.FinishReason = block;
                    blocked = true;
                }
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        return blocked;
    }

    /// <summary>
    /// <c>usageMetadata</c> (reader on its StartObject). Each chunk's object replaces the previous one whole: the counts
    /// of the last chunk that carries it are the call's, and a count it leaves out is unknown, not kept.
    /// </summary>
    private static void ReadUsage(ref Utf8JsonReader reader, ResponseFacts facts)
    {
        long? prompt = null, candidates = null, thoughts = null, cached = null, toolUse = null;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("promptTokenCount"u8))
            {
                prompt = JsonRead.Int64(ref reader, null);
            }
            else if (reader.ValueTextEquals("candidatesTokenCount"u8))
            {
                candidates = JsonRead.Int64(ref reader, null);
            }
            else if (reader.ValueTextEquals("thoughtsTokenCount"u8))
            {
                thoughts = JsonRead.Int64(ref reader, null);
            }
            else if (reader.ValueTextEquals("cachedContentTokenCount"u8))
            {
                cached = JsonRead.Int64(ref reader, null);
            }
            else if (reader.ValueTextEquals("toolUsePromptTokenCount"u8))
            {
                toolUse = JsonRead.Int64(ref reader, null);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        facts.InputTokens = prompt;
        facts.OutputTokens = candidates;
        facts.ReasoningOutputTokens = thoughts;
        facts.CacheReadInputTokens = cached;
        facts.ToolUsePromptTokens = toolUse;
    }
}
