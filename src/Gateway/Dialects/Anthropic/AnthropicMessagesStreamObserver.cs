using System.Text.Json;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.StreamObservation.Sse;

namespace Glassbox.Gateway.Dialects.Anthropic;

/// <summary>
/// Observes an Anthropic Messages SSE stream: <c>message_start</c> (id, model, usage),
/// <c>content_block_delta</c> of any delta type (content timing), <c>message_delta</c>
/// (stop reason, cumulative usage), <c>message_stop</c> (completed) and <c>error</c>.
/// The event kind comes from the JSON <c>type</c>, or the SSE event name when that is absent.
/// </summary>
internal sealed class AnthropicMessagesStreamObserver(ResponseFacts facts, int maxEventBytes = ObservationLimits.DefaultMaxDocumentBytes)
    : SseStreamObserver(facts, maxEventBytes)
{
    private enum Kind
    {
        Other,
        ContentDelta,
        MessageStop,
        Error,
    }

    protected override string MalformedEventProblem => "Malformed JSON in an Anthropic stream event.";

    protected override void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data, long timestamp)
    {
        if (!JsonRead.StartRootObject(data, out var reader))
        {
            Facts.RecordProblem(MalformedEventProblem);
            return;
        }

        Span<byte> scratch = stackalloc byte[64];
        var kind = Kind.Other;
        var typed = false;
        var error = default(JsonErrorObject);
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    typed = true;
                    kind = Classify(JsonRead.Utf8Value(in reader, scratch));
                }

                reader.Skip();
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                if (JsonRead.StartObject(ref reader))
                {
                    AnthropicJson.ReadMessage(ref reader, Facts);
                }
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                if (JsonRead.StartObject(ref reader))
                {
                    ReadDelta(ref reader);
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                if (JsonRead.StartObject(ref reader))
                {
                    AnthropicJson.ReadUsage(ref reader, Facts);
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

        if (!typed)
        {
            kind = Classify(eventType);
        }

        switch (kind)
        {
            case Kind.ContentDelta:
                Facts.MarkContentDelta(timestamp);
                break;
            case Kind.MessageStop:
                Facts.Completed = true;
                break;
            case Kind.Error:
                Facts.StreamErrorType = error.TypeOrCode("error");
                Facts.StreamErrorMessage = error.Message;
                break;
            default:
                if (error.Seen)
                {
                    goto case Kind.Error;
                }

                break;
        }
    }

    /// <summary><c>message_delta.delta</c> carries the stop reason; a <c>text_delta</c>'s text is kept only under content capture.</summary>
    private void ReadDelta(ref Utf8JsonReader reader)
    {
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("stop_reason"u8))
            {
                Facts.FinishReason = JsonRead.String(ref reader, Facts.FinishReason);
            }
            else if (Facts.Output is { } output && reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                output.Append(ref reader);
                reader.Skip();
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }
    }

    private static Kind Classify(ReadOnlySpan<byte> type)
    {
        if (type.SequenceEqual("content_block_delta"u8))
        {
            return Kind.ContentDelta;
        }

        if (type.SequenceEqual("message_stop"u8))
        {
            return Kind.MessageStop;
        }

        return type.SequenceEqual("error"u8) ? Kind.Error : Kind.Other;
    }
}
