using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Generation;
using Glassbox.SimulatedUpstream.Streaming;

namespace Glassbox.SimulatedUpstream.Dialects.Gemini;

/// <summary><c>:countTokens</c> → <c>{"totalTokens": N, "promptTokensDetails": [...]}</c> (N = <c>x-sim-input-tokens</c>), never paced.</summary>
internal sealed class GeminiCountTokensApi : SimulatedApi
{
    public static readonly GeminiCountTokensApi Instance = new();

    public override Provider Provider => GeminiProvider.Instance;

    public override bool Generates => false;

    public override SimRequest Interpret(HttpRequest http, SimRequest body) => body with { Model = GeminiPath.Model(http), Stream = false };

    public override byte[] CompleteBody(CallContext call) => [.. JsonText.BuildPrettyByTwo(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("totalTokens", call.Plan.InputTokens);
        w.WriteStartArray("promptTokensDetails");
        w.WriteStartObject();
        w.WriteString("modality", "TEXT");
        w.WriteNumber("tokenCount", call.Plan.InputTokens);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }), (byte)'\n'];

    public override Task StreamAsync(SseChannel channel) => throw new NotSupportedException();

    public override Task WriteErrorEventAsync(SseChannel channel) => throw new NotSupportedException();
}
