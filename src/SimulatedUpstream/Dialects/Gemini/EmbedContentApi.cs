using System.Globalization;
using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Generation;

namespace Glassbox.SimulatedUpstream.Dialects.Gemini;

/// <summary><c>:embedContent</c> → <c>{"embedding": {"values": [...]}}</c> with eight deterministic values, never paced.</summary>
internal sealed class EmbedContentApi : GeminiUnpacedApi
{
    public static readonly EmbedContentApi Instance = new();

    private const int Dimensions = 8;

    public override byte[] CompleteBody(CallContext call) => [.. JsonText.BuildPrettyByTwo(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("embedding");
        w.WriteStartArray("values");
        for (var i = 0; i < Dimensions; i++)
            w.WriteRawValue(((i + 1) / 100.0).ToString("0.00", CultureInfo.InvariantCulture));
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }), (byte)'\n'];
}
