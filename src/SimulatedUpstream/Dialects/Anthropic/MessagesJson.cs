using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Control;
using Glassbox.SimulatedUpstream.Generation;

namespace Glassbox.SimulatedUpstream.Dialects.Anthropic;

/// <summary>The Messages API JSON payloads, keys in the providers' order.</summary>
internal static class MessagesJson
{
    public static string StopReason(ContentKind content) => content == ContentKind.Tool ? "tool_use" : "end_turn";

    public static byte[] Typed(string type) => JsonText.Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteEndObject();
    });

    public static byte[] MessageStart(CallContext call) => JsonText.Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "message_start");
        w.WriteStartObject("message");
        w.WriteString("model", call.Request.Model);
        w.WriteString("id", "msg_" + call.Plan.Ids.Core);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteStartArray("content");
        w.WriteEndArray();
        w.WriteNull("stop_reason");
        w.WriteNull("stop_sequence");
        AnthropicUsage.WriteFull(w, call.Plan, 1);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    public static byte[] TextBlock(int index = 0) => BlockStart(index, w =>
    {
        w.WriteString("type", "text");
        w.WriteString("text", "");
    });

    public static byte[] ThinkingBlock() => BlockStart(0, w =>
    {
        w.WriteString("type", "thinking");
        w.WriteString("thinking", "");
        w.WriteString("signature", "");
    });

    public static byte[] ToolUseBlock(CallIds ids) => BlockStart(0, w =>
    {
        w.WriteString("type", "tool_use");
        w.WriteString("id", "toolu_" + ids.Core);
        w.WriteString("name", Words.ToolName);
        w.WriteStartObject("input");
        w.WriteEndObject();
    });

    public static byte[] Delta(int index, string deltaType, string field, string value) => JsonText.Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "content_block_delta");
        w.WriteNumber("index", index);
        w.WriteStartObject("delta");
        w.WriteString("type", deltaType);
        w.WriteString(field, value);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    public static byte[] BlockStop(int index) => JsonText.Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "content_block_stop");
        w.WriteNumber("index", index);
        w.WriteEndObject();
    });

    public static byte[] MessageDelta(SimulationPlan plan, string stopReason) => JsonText.Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "message_delta");
        w.WriteStartObject("delta");
        w.WriteString("stop_reason", stopReason);
        w.WriteNull("stop_sequence");
        w.WriteEndObject();
        AnthropicUsage.WriteCumulative(w, plan);
        w.WriteEndObject();
    });

    public static byte[] OverloadedEvent() => JsonText.Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "error");
        w.WriteStartObject("error");
        w.WriteString("type", "overloaded_error");
        w.WriteString("message", "Overloaded");
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>The non-streaming message.</summary>
    public static byte[] Message(CallContext call) => JsonText.Build(w =>
    {
        var plan = call.Plan;
        var n = plan.Deltas;
        w.WriteStartObject();
        w.WriteString("id", "msg_" + plan.Ids.Core);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", call.Request.Model);
        w.WriteStartArray("content");
        if (plan.Content == ContentKind.Tool)
        {
            w.WriteStartObject();
            w.WriteString("type", "tool_use");
            w.WriteString("id", "toolu_" + plan.Ids.Core);
            w.WriteString("name", Words.ToolName);
            w.WritePropertyName("input");
            w.WriteRawValue(Words.Join(n, i => Words.ToolArguments(i, n)));
            w.WriteEndObject();
        }
        else
        {
            if (plan.Content == ContentKind.Thinking)
            {
                w.WriteStartObject();
                w.WriteString("type", "thinking");
                w.WriteString("thinking", Words.Join(n, Words.Thinking));
                w.WriteString("signature", Words.Signature);
                w.WriteEndObject();
            }

            w.WriteStartObject();
            w.WriteString("type", "text");
            w.WriteString("text", Words.Join(n, Words.Text));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("stop_reason", StopReason(plan.Content));
        w.WriteNull("stop_sequence");
        AnthropicUsage.WriteFull(w, plan, plan.OutputTokens);
        w.WriteEndObject();
    });

    private static byte[] BlockStart(int index, Action<System.Text.Json.Utf8JsonWriter> block) => JsonText.Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "content_block_start");
        w.WriteNumber("index", index);
        w.WriteStartObject("content_block");
        block(w);
        w.WriteEndObject();
        w.WriteEndObject();
    });
}
