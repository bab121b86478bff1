using System.Text.Json;
using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Control;
using Glassbox.SimulatedUpstream.Dialects.OpenAIShared;
using Glassbox.SimulatedUpstream.Generation;

namespace Glassbox.SimulatedUpstream.Dialects.OpenAIResponses;

/// <summary>The Responses API JSON payloads: every event starts with <c>type</c> and <c>sequence_number</c>.</summary>
internal static class ResponsesJson
{
    public static string MessageItemId(CallIds ids) => "msg_" + ids.Core;

    public static string FunctionItemId(CallIds ids) => "fc_" + ids.Core;

    public static byte[] Event(string type, int sequence, Action<Utf8JsonWriter> body) => JsonText.Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteNumber("sequence_number", sequence);
        body(w);
        w.WriteEndObject();
    });

    /// <summary>The response object; <paramref name="output"/> null writes <c>[]</c>, usage is written only when completed.</summary>
    public static void WriteResponse(Utf8JsonWriter w, CallContext call, string status, Action<Utf8JsonWriter>? output, string? errorMessage = null)
    {
        var plan = call.Plan;
        w.WriteString("id", "resp_" + plan.Ids.Core);
        w.WriteString("object", "response");
        w.WriteNumber("created_at", plan.Created);
        w.WriteString("status", status);
        if (errorMessage is null)
        {
            w.WriteNull("error");
        }
        else
        {
            w.WriteStartObject("error");
            w.WriteString("code", "server_error");
            w.WriteString("message", errorMessage);
            w.WriteEndObject();
        }

        w.WriteString("model", call.Request.Model);
        w.WriteStartArray("output");
        output?.Invoke(w);
        w.WriteEndArray();
        if (status == "completed")
            OpenAIUsage.WriteResponses(w, plan);
        else
            w.WriteNull("usage");
    }

    public static void WriteResponseProperty(Utf8JsonWriter w, CallContext call, string status, Action<Utf8JsonWriter>? output, string? errorMessage = null)
    {
        w.WriteStartObject("response");
        WriteResponse(w, call, status, output, errorMessage);
        w.WriteEndObject();
    }

    public static void WriteTextPart(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "output_text");
        w.WriteStartArray("annotations");
        w.WriteEndArray();
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    /// <summary>A message item; <paramref name="text"/> null means no content part yet.</summary>
    public static void WriteMessageItem(Utf8JsonWriter w, CallIds ids, string status, string? text)
    {
        w.WriteStartObject();
        w.WriteString("id", MessageItemId(ids));
        w.WriteString("type", "message");
        w.WriteString("status", status);
        w.WriteStartArray("content");
        if (text is not null)
            WriteTextPart(w, text);
        w.WriteEndArray();
        w.WriteString("role", "assistant");
        w.WriteEndObject();
    }

    public static void WriteFunctionCallItem(Utf8JsonWriter w, CallIds ids, string status, string arguments)
    {
        w.WriteStartObject();
        w.WriteString("id", FunctionItemId(ids));
        w.WriteString("type", "function_call");
        w.WriteString("status", status);
        w.WriteString("arguments", arguments);
        w.WriteString("call_id", "call_" + ids.Core);
        w.WriteString("name", Words.ToolName);
        w.WriteEndObject();
    }

    /// <summary>The whole completed item, as in <c>output_item.done</c> and the non-streaming response.</summary>
    public static void WriteCompletedItem(Utf8JsonWriter w, SimulationPlan plan)
    {
        var n = plan.Deltas;
        if (plan.Content == ContentKind.Tool)
            WriteFunctionCallItem(w, plan.Ids, "completed", Words.Join(n, i => Words.ToolArguments(i, n)));
        else
            WriteMessageItem(w, plan.Ids, "completed", Words.Join(n, Words.Text));
    }

    /// <summary>The non-streaming response.</summary>
    public static byte[] Response(CallContext call) => JsonText.Build(w =>
    {
        w.WriteStartObject();
        WriteResponse(w, call, "completed", w => WriteCompletedItem(w, call.Plan));
        w.WriteEndObject();
    });
}
