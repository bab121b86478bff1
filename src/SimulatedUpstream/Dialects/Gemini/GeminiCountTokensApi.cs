using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Generation;

namespace Glassbox.SimulatedUpstream.Dialects.Gemini;

/// <summary><c>:countTokens</c> → <c>{"totalTokens": N, "promptTokensDetails": [...]}</c> (N = <c>x-sim-input-tokens</c>), never paced.</summary>
internal sealed class GeminiCountTokensApi : GeminiUnpacedApi
{
    public static readonly GeminiCountTokensApi Instance = new();

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
}
