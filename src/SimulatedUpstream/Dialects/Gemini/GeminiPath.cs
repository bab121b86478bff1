namespace Glassbox.SimulatedUpstream.Dialects.Gemini;

/// <summary>Reads <c>/{version}/models/{model}:{method}</c>: the last path segment is the model, a colon, the method.</summary>
internal static class GeminiPath
{
    public const string TargetRouteValue = "target";

    public static (string Model, string Method) Split(string target)
    {
        var colon = target.LastIndexOf(':');
        return colon < 0 ? (target, "") : (target[..colon], target[(colon + 1)..]);
    }

    public static string Model(HttpRequest http) =>
        Split(http.RouteValues[TargetRouteValue] as string ?? "").Model;
}
