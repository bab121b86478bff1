using System.Text.Json;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Dialects.OpenAI.Responses;

/// <summary>Reads OpenAI Responses API <c>response</c> objects (streamed inside lifecycle events, or a whole body).</summary>
internal static class OpenAIResponsesJson
{
    private static readonly string[] KnownStatuses = ["in_progress", "completed", "incomplete", "failed", "queued", "cancelled"];

    /// <summary>The parts of a response object whose meaning depends on where it appeared.</summary>
    public struct ResponseInfo
    {
        public bool Seen;
        public bool IsResponseObject;
        public string? Status;
        public string? IncompleteReason;
        public JsonErrorObject Error;
    }

    /// <summary>Reads a response object (reader on its StartObject): id, model and usage go straight to <paramref name="facts"/>.</summary>
    public static void ReadResponse(ref Utf8JsonReader reader, ResponseFacts facts, ref ResponseInfo info)
    {
        info.Seen = true;
        while (JsonRead.NextProperty(ref reader))
        {
            if (!TryReadResponseProperty(ref reader, facts, ref info))
            {
                JsonRead.SkipValue(ref reader);
            }
        }
    }

    /// <summary>Reads a whole non-streaming body: a response object, or <c>{"error":{...}}</c>.</summary>
    public static void ReadBody(ReadOnlySpan<byte> json, ResponseFacts facts)
    {
        if (!JsonRead.StartRootObject(json, out var reader))
        {
            facts.RecordProblem("OpenAI response body is not a JSON object.");
            return;
        }

        var info = default(ResponseInfo);
        ReadResponse(ref reader, facts, ref info);
        if (info.Status is not null || info.IsResponseObject)
        {
            // A response object (possibly failed inside a 200): the status is the finish reason.
            ApplyStatus(facts, info, info.Status ?? "unknown");
        }
        else if (info.Error.Seen)
        {
            facts.ErrorBodyType = info.Error.TypeOrCode("error");
            facts.ErrorBodyMessage = info.Error.Message;
        }

        facts.Completed = true;
    }

    /// <summary>
    /// FinishReason from a terminal status: <c>completed</c>, the incomplete reason (else <c>incomplete</c>),
    /// or <c>failed</c> with the response's error as the stream error.
    /// </summary>
    public static void ApplyStatus(ResponseFacts facts, in ResponseInfo info, string status)
    {
        switch (status)
        {
            case "incomplete":
                facts.FinishReason = info.IncompleteReason ?? "incomplete";
                break;
            case "failed":
                facts.FinishReason = "failed";
                facts.StreamErrorType = info.Error.Code ?? info.Error.Type ?? "failed";
                facts.StreamErrorMessage = info.Error.Message;
                break;
            default:
                facts.FinishReason = status;
                break;
        }
    }

    private static bool TryReadResponseProperty(ref Utf8JsonReader reader, ResponseFacts facts, ref ResponseInfo info)
    {
        if (reader.ValueTextEquals("id"u8))
        {
            facts.ResponseId = JsonRead.String(ref reader, facts.ResponseId);
        }
        else if (reader.ValueTextEquals("model"u8))
        {
            facts.ResponseModel = JsonRead.String(ref reader, facts.ResponseModel);
        }
        else if (reader.ValueTextEquals("object"u8))
        {
            reader.Read();
            info.IsResponseObject = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("response"u8);
            reader.Skip();
        }
        else if (reader.ValueTextEquals("status"u8))
        {
            info.Status = ReadStatus(ref reader, info.Status);
        }
        else if (reader.ValueTextEquals("incomplete_details"u8))
        {
            if (JsonRead.StartObject(ref reader))
            {
                while (JsonRead.NextProperty(ref reader))
                {
                    if (reader.ValueTextEquals("reason"u8))
                    {
                        info.IncompleteReason = JsonRead.String(ref reader, info.IncompleteReason);
                    }
                    else
                    {
                        JsonRead.SkipValue(ref reader);
                    }
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
                info.Error.Read(ref reader);
            }
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>Known statuses map to literals (no allocation per lifecycle event); others are read as strings.</summary>
    private static string? ReadStatus(ref Utf8JsonReader reader, string? current)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            foreach (var known in KnownStatuses)
            {
                if (reader.ValueTextEquals(known))
                {
                    return known;
                }
            }
        }

        reader.Skip();
        return reader.TokenType == JsonTokenType.String ? reader.GetString() : current;
    }
}
