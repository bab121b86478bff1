using Glassbox.SimulatedUpstream.Calls;

namespace Glassbox.SimulatedUpstream.Dialects.Gemini;

/// <summary>A Gemini method that generates nothing; the model comes from the path.</summary>
internal abstract class GeminiUnpacedApi : UnpacedApi
{
    public sealed override Provider Provider => GeminiProvider.Instance;

    public sealed override SimRequest Interpret(HttpRequest http, SimRequest body) => body with { Model = GeminiPath.Model(http), Stream = false };
}
