using System.Globalization;
using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Generation;
using Glassbox.SimulatedUpstream.Streaming;

namespace Glassbox.SimulatedUpstream.Dialects.Gemini;

/// <summary><c>:embedContent</c> → <c>{"embedding": {"values": [...]}}</c> with eight deterministic values, never paced.</summary>
internal sealed class EmbedContentApi : SimulatedApi
{
    public static readonly EmbedContentApi Instance = new();

    private const int Dimensions = 8;

    public override Provider Provider => GeminiProvider.Instance;

    public override bool Generates => false;

    public override SimRequest Interpret(HttpRequest http, SimRequest body) => body with { Model = GeminiPath.Model(http), Stream = false };

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

    public override Task StreamAsync(SseChannel channel) => throw new NotSupportedException();

    public override Task WriteErrorEventAsync(SseChannel channel) => throw new NotSupportedException();
}
