using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Control;
using Glassbox.SimulatedUpstream.Dialects.OpenAIShared;
using Glassbox.SimulatedUpstream.Generation;
using Glassbox.SimulatedUpstream.Streaming;
using static Glassbox.SimulatedUpstream.Dialects.OpenAIResponses.ResponsesJson;

namespace Glassbox.SimulatedUpstream.Dialects.OpenAIResponses;

/// <summary><c>POST /v1/responses</c>. <c>thinking</c> content is served as text.</summary>
internal sealed class ResponsesApi : SimulatedApi
{
    public static readonly ResponsesApi Instance = new();

    public override Provider Provider => OpenAIProvider.Instance;

    public override byte[] CompleteBody(CallContext call) => Response(call);

    public override async Task StreamAsync(SseChannel channel)
    {
        var call = channel.Call;
        var ids = call.Plan.Ids;
        await WriteAsync(channel, "response.created", w => WriteResponseProperty(w, call, "in_progress", null));
        await WriteAsync(channel, "response.in_progress", w => WriteResponseProperty(w, call, "in_progress", null));
        var ok = call.Plan.Content == ContentKind.Tool
            ? await WriteFunctionCallAsync(channel, ids)
            : await WriteMessageAsync(channel, ids);
        if (!ok)
            return;
        await WriteAsync(channel, "response.output_item.done", w =>
        {
            w.WriteNumber("output_index", 0);
            w.WritePropertyName("item");
            WriteCompletedItem(w, call.Plan);
        });
        await WriteAsync(channel, "response.completed", w => WriteResponseProperty(w, call, "completed", w => WriteCompletedItem(w, call.Plan)));
    }

    public override Task WriteErrorEventAsync(SseChannel channel) =>
        WriteAsync(channel, "response.failed", w => WriteResponseProperty(w, channel.Call, "failed", null,
            "The server had an error while processing your request. Sorry about that!"));

    private static async Task<bool> WriteMessageAsync(SseChannel channel, CallIds ids)
    {
        var n = channel.Call.Plan.Deltas;
        var itemId = MessageItemId(ids);
        await WriteAsync(channel, "response.output_item.added", w =>
        {
            w.WriteNumber("output_index", 0);
            w.WritePropertyName("item");
            WriteMessageItem(w, ids, "in_progress", null);
        });
        await WriteAsync(channel, "response.content_part.added", w =>
        {
            WriteContentPosition(w, itemId);
            w.WritePropertyName("part");
            WriteTextPart(w, "");
        });
        for (var i = 0; i < n; i++)
        {
            var text = Words.Text(i);
            if (!await channel.WriteDeltaAsync("response.output_text.delta", Event("response.output_text.delta", channel.EventsWritten, w =>
            {
                WriteContentPosition(w, itemId);
                w.WriteString("delta", text);
            })))
                return false;
        }

        if (!await channel.EndOfContentAsync())
            return false;
        var full = Words.Join(n, Words.Text);
        await WriteAsync(channel, "response.output_text.done", w =>
        {
            WriteContentPosition(w, itemId);
            w.WriteString("text", full);
        });
        await WriteAsync(channel, "response.content_part.done", w =>
        {
            WriteContentPosition(w, itemId);
            w.WritePropertyName("part");
            WriteTextPart(w, full);
        });
        return true;
    }

    private static async Task<bool> WriteFunctionCallAsync(SseChannel channel, CallIds ids)
    {
        var n = channel.Call.Plan.Deltas;
        var itemId = FunctionItemId(ids);
        await WriteAsync(channel, "response.output_item.added", w =>
        {
            w.WriteNumber("output_index", 0);
            w.WritePropertyName("item");
            WriteFunctionCallItem(w, ids, "in_progress", "");
        });
        for (var i = 0; i < n; i++)
        {
            var piece = Words.ToolArguments(i, n);
            if (!await channel.WriteDeltaAsync("response.function_call_arguments.delta", Event("response.function_call_arguments.delta", channel.EventsWritten, w =>
            {
                w.WriteString("item_id", itemId);
                w.WriteNumber("output_index", 0);
                w.WriteString("delta", piece);
            })))
                return false;
        }

        if (!await channel.EndOfContentAsync())
            return false;
        await WriteAsync(channel, "response.function_call_arguments.done", w =>
        {
            w.WriteString("item_id", itemId);
            w.WriteNumber("output_index", 0);
            w.WriteString("arguments", Words.Join(n, i => Words.ToolArguments(i, n)));
        });
        return true;
    }

    private static void WriteContentPosition(System.Text.Json.Utf8JsonWriter w, string itemId)
    {
        w.WriteString("item_id", itemId);
        w.WriteNumber("output_index", 0);
        w.WriteNumber("content_index", 0);
    }

    private static Task WriteAsync(SseChannel channel, string type, Action<System.Text.Json.Utf8JsonWriter> body) =>
        channel.WriteEventAsync(type, Event(type, channel.EventsWritten, body));
}
