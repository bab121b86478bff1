using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Control;
using Glassbox.SimulatedUpstream.Dialects.OpenAIShared;
using Glassbox.SimulatedUpstream.Generation;
using Glassbox.SimulatedUpstream.Streaming;

namespace Glassbox.SimulatedUpstream.Dialects.OpenAIChat;

/// <summary><c>POST /v1/chat/completions</c>. <c>thinking</c> content is served as text (Chat hides reasoning).</summary>
internal sealed class ChatCompletionsApi : SimulatedApi
{
    public static readonly ChatCompletionsApi Instance = new();

    public override Provider Provider => OpenAIProvider.Instance;

    public override byte[] CompleteBody(CallContext call) => ChatJson.Completion(call);

    public override async Task StreamAsync(SseChannel channel)
    {
        var call = channel.Call;
        var n = call.Plan.Deltas;
        var tool = call.Plan.Content == ContentKind.Tool;
        await channel.WriteEventAsync(null, ChatJson.Chunk(call, ChatJson.RoleDelta, null));
        if (tool && !await channel.WriteDeltaAsync(null, ChatJson.Chunk(call, w => ChatJson.ToolCallStart(w, call.Plan.Ids), null)))
            return;
        for (var i = 0; i < n; i++)
        {
            var delta = tool ? ChatJson.ToolCallArguments(Words.ToolArguments(i, n)) : ChatJson.ContentDelta(Words.Text(i));
            if (!await channel.WriteDeltaAsync(null, ChatJson.Chunk(call, delta, null)))
                return;
        }

        if (!await channel.EndOfContentAsync())
            return;
        await channel.WriteEventAsync(null, ChatJson.Chunk(call, static _ => { }, tool ? "tool_calls" : "stop"));
        if (call.Request.IncludeUsage)
            await channel.WriteEventAsync(null, ChatJson.UsageChunk(call));
        await channel.WriteDoneAsync();
    }

    public override Task WriteErrorEventAsync(SseChannel channel) => channel.WriteEventAsync(null, ChatJson.StreamError());
}
