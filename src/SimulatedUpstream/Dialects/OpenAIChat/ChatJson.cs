using System.Text.Json;
using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Control;
using Glassbox.SimulatedUpstream.Dialects.OpenAIShared;
using Glassbox.SimulatedUpstream.Generation;

namespace Glassbox.SimulatedUpstream.Dialects.OpenAIChat;

/// <summary>The Chat Completions JSON payloads, keys in OpenAI's order.</summary>
internal static class ChatJson
{
    public const string SystemFingerprint = "fp_5e1a7ed0c1";

    /// <summary>A chunk with one choice; <c>"usage":null</c> is added when the client asked for a usage chunk.</summary>
    public static byte[] Chunk(CallContext call, Action<Utf8JsonWriter> delta, string? finishReason) => JsonText.Build(w =>
    {
        WriteChunkStart(w, call);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        delta(w);
        w.WriteEndObject();
        w.WriteNull("logprobs");
        if (finishReason is null)
            w.WriteNull("finish_reason");
        else
            w.WriteString("finish_reason", finishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        if (call.Request.IncludeUsage)
            w.WriteNull("usage");
        w.WriteEndObject();
    });

    public static byte[] UsageChunk(CallContext call) => JsonText.Build(w =>
    {
        WriteChunkStart(w, call);
        w.WriteStartArray("choices");
        w.WriteEndArray();
        OpenAIUsage.WriteChat(w, call.Plan);
        w.WriteEndObject();
    });

    public static void RoleDelta(Utf8JsonWriter w)
    {
        w.WriteString("role", "assistant");
        w.WriteString("content", "");
    }

    public static Action<Utf8JsonWriter> ContentDelta(string text) => w => w.WriteString("content", text);

    public static void ToolCallStart(Utf8JsonWriter w, CallIds ids) => WriteToolCall(w, w =>
    {
        w.WriteString("id", "call_" + ids.Core);
        w.WriteString("type", "function");
        w.WriteStartObject("function");
        w.WriteString("name", Words.ToolName);
        w.WriteString("arguments", "");
        w.WriteEndObject();
    });

    public static Action<Utf8JsonWriter> ToolCallArguments(string arguments) => w => WriteToolCall(w, w =>
    {
        w.WriteStartObject("function");
        w.WriteString("arguments", arguments);
        w.WriteEndObject();
    });

    public static byte[] StreamError() => JsonText.Build(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", "The server had an error while processing your request. Sorry about that!");
        w.WriteString("type", "server_error");
        w.WriteNull("param");
        w.WriteNull("code");
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>The non-streaming completion.</summary>
    public static byte[] Completion(CallContext call) => JsonText.Build(w =>
    {
        var plan = call.Plan;
        var n = plan.Deltas;
        var tool = plan.Content == ContentKind.Tool;
        w.WriteStartObject();
        w.WriteString("id", "chatcmpl-" + plan.Ids.Core);
        w.WriteString("object", "chat.completion");
        w.WriteNumber("created", plan.Created);
        w.WriteString("model", call.Request.Model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        if (tool)
        {
            w.WriteNull("content");
            w.WriteStartArray("tool_calls");
            w.WriteStartObject();
            w.WriteString("id", "call_" + plan.Ids.Core);
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", Words.ToolName);
            w.WriteString("arguments", Words.Join(n, i => Words.ToolArguments(i, n)));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        }
        else
        {
            w.WriteString("content", Words.Join(n, Words.Text));
        }

        w.WriteEndObject();
        w.WriteString("finish_reason", tool ? "tool_calls" : "stop");
        w.WriteNull("logprobs");
        w.WriteEndObject();
        w.WriteEndArray();
        OpenAIUsage.WriteChat(w, plan);
        w.WriteString("system_fingerprint", SystemFingerprint);
        w.WriteEndObject();
    });

    private static void WriteChunkStart(Utf8JsonWriter w, CallContext call)
    {
        w.WriteStartObject();
        w.WriteString("id", "chatcmpl-" + call.Plan.Ids.Core);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", call.Plan.Created);
        w.WriteString("model", call.Request.Model);
        w.WriteString("system_fingerprint", SystemFingerprint);
    }

    private static void WriteToolCall(Utf8JsonWriter w, Action<Utf8JsonWriter> call)
    {
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        call(w);
        w.WriteEndObject();
        w.WriteEndArray();
    }
}
