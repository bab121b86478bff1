using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Control;
using Glassbox.SimulatedUpstream.Generation;
using Glassbox.SimulatedUpstream.Streaming;

namespace Glassbox.SimulatedUpstream.Dialects.Anthropic;

/// <summary><c>POST /v1/messages</c>: the Messages API, streaming or not.</summary>
internal sealed class MessagesApi : SimulatedApi
{
    public static readonly MessagesApi Instance = new();

    public override Provider Provider => AnthropicProvider.Instance;

    public override byte[] CompleteBody(CallContext call) => MessagesJson.Message(call);

    public override async Task StreamAsync(SseChannel channel)
    {
        var call = channel.Call;
        var plan = call.Plan;
        var n = plan.Deltas;
        await channel.WriteEventAsync("message_start", MessagesJson.MessageStart(call));
        var ok = plan.Content switch
        {
            ContentKind.Thinking => await WriteThinkingThenTextAsync(channel, n),
            ContentKind.Tool => await WriteBlockAsync(channel, 0, MessagesJson.ToolUseBlock(plan.Ids), n,
                i => MessagesJson.Delta(0, "input_json_delta", "partial_json", Words.ToolArguments(i, n)), ping: true),
            _ => await WriteBlockAsync(channel, 0, MessagesJson.TextBlock(), n,
                i => MessagesJson.Delta(0, "text_delta", "text", Words.Text(i)), ping: true),
        };
        if (!ok)
            return;
        await channel.WriteEventAsync("message_delta", MessagesJson.MessageDelta(plan, MessagesJson.StopReason(plan.Content)));
        await channel.WriteEventAsync("message_stop", MessagesJson.Typed("message_stop"));
    }

    public override Task WriteErrorEventAsync(SseChannel channel) =>
        channel.WriteEventAsync("error", MessagesJson.OverloadedEvent());

    private static async Task<bool> WriteThinkingThenTextAsync(SseChannel channel, int n)
    {
        await channel.WriteEventAsync("content_block_start", MessagesJson.ThinkingBlock());
        await channel.WriteEventAsync("ping", MessagesJson.Typed("ping"));
        for (var i = 0; i < n; i++)
        {
            if (!await channel.WriteDeltaAsync("content_block_delta", MessagesJson.Delta(0, "thinking_delta", "thinking", Words.Thinking(i))))
                return false;
        }

        await channel.WriteEventAsync("content_block_delta", MessagesJson.Delta(0, "signature_delta", "signature", Words.Signature));
        await channel.WriteEventAsync("content_block_stop", MessagesJson.BlockStop(0));
        return await WriteBlockAsync(channel, 1, MessagesJson.TextBlock(1), n,
            i => MessagesJson.Delta(1, "text_delta", "text", Words.Text(i)), ping: false);
    }

    private static async Task<bool> WriteBlockAsync(SseChannel channel, int index, byte[] start, int n, Func<int, byte[]> delta, bool ping)
    {
        await channel.WriteEventAsync("content_block_start", start);
        if (ping)
            await channel.WriteEventAsync("ping", MessagesJson.Typed("ping"));
        for (var i = 0; i < n; i++)
        {
            if (!await channel.WriteDeltaAsync("content_block_delta", delta(i)))
                return false;
        }

        if (!await channel.EndOfContentAsync())
            return false;
        await channel.WriteEventAsync("content_block_stop", MessagesJson.BlockStop(index));
        return true;
    }
}
