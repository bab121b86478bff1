using System.Text.Json;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.StreamObservation.Sse;

namespace Glassbox.Gateway.Dialects.OpenAI.Responses;

/// <summary>
/// Observes an OpenAI Responses stream: lifecycle events carry the response object (id, model),
/// every <c>*.delta</c> event is generated content, <c>response.completed|incomplete|failed</c> end
/// the stream with usage and status, and <c>{"type":"error"}</c> is a stream error. The event kind
/// comes from the JSON <c>type</c>, or the SSE event name when that is absent.
/// </summary>
internal sealed class OpenAIResponsesStreamObserver(ResponseFacts facts, int maxEventBytes = ObservationLimits.DefaultMaxDocumentBytes)
    : SseStreamObserver(facts, maxEventBytes)
{
    private enum Kind
    {
        Other,
        Delta,
        Completed,
        Incomplete,
        Failed,
        Error,
    }

    protected override string MalformedEventProblem => "Malformed JSON in an OpenAI Responses stream event.";

    protected override void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data, long timestamp)
    {
        if (!JsonRead.StartRootObject(data, out var reader))
        {
            Facts.RecordProblem(MalformedEventProblem);
            return;
        }

        Span<byte> scratch = stackalloc byte[128];
        var kind = Kind.Other;
        var typed = false;
        var outputText = false;
        var response = default(OpenAIResponsesJson.ResponseInfo);
        var error = default(JsonErrorObject); // {"type":"error","code","message"} or a nested "error" object
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    typed = true;
                    var type = JsonRead.Utf8Value(in reader, scratch);
                    kind = Classify(type);
                    outputText = type.SequenceEqual("response.output_text.delta"u8);
                }

                reader.Skip();
            }
            else if (outputText && Facts.Output is { } output && reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                output.Append(ref reader);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("response"u8))
            {
                if (JsonRead.StartObject(ref reader))
                {
                    OpenAIResponsesJson.ReadResponse(ref reader, Facts, ref response);
                }
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                error.Code = JsonRead.String(ref reader, error.Code);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                error.Message = JsonRead.String(ref reader, error.Message);
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

        if (!typed)
        {
            kind = Classify(eventType);
        }

        switch (kind)
        {
            case Kind.Delta:
                Facts.MarkContentDelta(timestamp);
                break;
            case Kind.Completed:
                Facts.Completed = true;
                OpenAIResponsesJson.ApplyStatus(Facts, response, "completed");
                break;
            case Kind.Incomplete:
                Facts.Completed = true;
                OpenAIResponsesJson.ApplyStatus(Facts, response, "incomplete");
                break;
            case Kind.Failed:
                Facts.Completed = true;
                OpenAIResponsesJson.ApplyStatus(Facts, response, "failed");
                break;
            case Kind.Error:
                Facts.StreamErrorType = error.Code ?? error.Type ?? "error";
                Facts.StreamErrorMessage = error.Message;
                break;
            default:
                break;
        }
    }

    private static Kind Classify(ReadOnlySpan<byte> type)
    {
        if (type.EndsWith(".delta"u8))
        {
            return Kind.Delta;
        }

        if (type.SequenceEqual("response.completed"u8))
        {
            return Kind.Completed;
        }

        if (type.SequenceEqual("response.incomplete"u8))
        {
            return Kind.Incomplete;
        }

        if (type.SequenceEqual("response.failed"u8))
        {
            return Kind.Failed;
        }

        return type.SequenceEqual("error"u8) ? Kind.Error : Kind.Other;
    }
}
