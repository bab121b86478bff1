using System.Text.Json;
using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Control;
using Glassbox.SimulatedUpstream.Generation;
using Glassbox.SimulatedUpstream.Streaming;

namespace Glassbox.SimulatedUpstream.Dialects.Gemini;

/// <summary>
/// <c>POST /{version}/models/{model}:generateContent</c> and <c>:streamGenerateContent</c>. The path names the model
/// and whether the answer streams; <c>?alt=sse</c> makes the stream server-sent events (one
/// <c>GenerateContentResponse</c> per <c>data:</c> line), otherwise it is one JSON array sent element by element.
/// </summary>
internal sealed class GenerateContentApi(bool streaming) : SimulatedApi
{
    public static readonly GenerateContentApi Unary = new(streaming: false);
    public static readonly GenerateContentApi Streaming = new(streaming: true);

    public override Provider Provider => GeminiProvider.Instance;

    public override SimRequest Interpret(HttpRequest http, SimRequest body) =>
        body with { Model = GeminiPath.Model(http), Stream = streaming };

    public override string StreamContentType(HttpRequest http) =>
        IsSse(http) ? Provider.StreamContentType : Provider.JsonContentType;

    public override EventFraming Framing(HttpRequest http) => IsSse(http) ? EventFraming.SseCrLf : EventFraming.JsonArray;

    public override byte[] CompleteBody(CallContext call) =>
        [.. JsonText.BuildPrettyByTwo(w => GeminiJson.WriteResponse(w, call, GeminiJson.AllParts(call.Plan), GeminiJson.FinishReason(call.Plan))), (byte)'\n'];

    public override async Task StreamAsync(SseChannel channel)
    {
        var call = channel.Call;
        var plan = call.Plan;
        var n = plan.Deltas;
        if (plan.Content == ContentKind.Blocked)
        {
            await channel.WriteEventAsync(null, Build(call, w => GeminiJson.WriteResponse(w, call, static _ => { }, null)));
            await channel.EndAsync();
            return;
        }

        var ok = plan.Content switch
        {
            ContentKind.Tool => await WriteChunksAsync(channel, 1, _ => GeminiJson.FunctionCall(n), last: true),
            ContentKind.Thinking => await WriteChunksAsync(channel, n, i => GeminiJson.Thought(Words.Thinking(i)), last: false)
                && await WriteChunksAsync(channel, n, i => GeminiJson.Text(Words.Text(i)), last: true),
            _ => await WriteChunksAsync(channel, n, i => GeminiJson.Text(Words.Text(i)), last: true),
        };
        if (!ok || !await channel.EndOfContentAsync())
            return;
        await channel.EndAsync();
    }

    /// <summary>Gemini has no error event: an error arrives as a chunk holding only <c>error</c>, and the stream ends.</summary>
    public override async Task WriteErrorEventAsync(SseChannel channel)
    {
        await channel.WriteEventAsync(null, Build(channel.Call, w => GeminiProvider.WriteError(w, 503, null, null)));
        await channel.EndAsync();
    }

    private static async Task<bool> WriteChunksAsync(SseChannel channel, int count, Func<int, Action<Utf8JsonWriter>> part, bool last)
    {
        var call = channel.Call;
        for (var i = 0; i < count; i++)
        {
            var finish = last && i == count - 1 ? GeminiJson.FinishReason(call.Plan) : null;
            var json = Build(call, w => GeminiJson.WriteResponse(w, call, part(i), finish));
            if (!await channel.WriteDeltaAsync(null, json))
                return false;
        }

        return true;
    }

    /// <summary>Server-sent events carry one spaced line each; array elements are indented like Google's JSON bodies.</summary>
    private static byte[] Build(CallContext call, Action<Utf8JsonWriter> write) =>
        IsSse(call.Http.Request) ? JsonText.BuildSpacedLine(write) : JsonText.BuildPrettyByTwo(write);

    private static bool IsSse(HttpRequest http) => string.Equals(http.Query["alt"], "sse", StringComparison.Ordinal);
}
