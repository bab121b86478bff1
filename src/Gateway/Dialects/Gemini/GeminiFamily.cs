using Glassbox.Gateway.Auth;
using Glassbox.Gateway.Configuration;

namespace Glassbox.Gateway.Dialects.Gemini;

/// <summary>
/// The <c>Gemini</c> API family: <c>/{v1beta|v1}/{models|tunedModels}/{model}:generateContent</c> and
/// <c>:streamGenerateContent</c> observed; <c>:countTokens</c>, <c>:embedContent</c>, <c>:batchEmbedContents</c> and the
/// rest of <c>/v1beta</c> forwarded.
/// </summary>
internal sealed class GeminiFamily : IApiFamily
{
    // Before Instance: static initializers run in order, and the constructor reads these.
    private static readonly string[] Versions = ["v1beta", "v1"];
    private static readonly string[] Collections = ["models", "tunedModels"];
    private static readonly (string Method, bool Observed)[] Methods =
        [("generateContent", true), (GeminiRequestReader.StreamMethod, true), ("countTokens", false), ("embedContent", false), ("batchEmbedContents", false)];

    public static GeminiFamily Instance { get; } = new();

    private GeminiFamily()
    {
    }

    public ApiFamily Id => ApiFamily.Gemini;

    public BuiltInUpstream BuiltIn { get; } = new("https://generativelanguage.googleapis.com", "gcp.gemini");

    public IReadOnlyList<DialectRoute> Routes { get; } =
    [
        .. Versions.SelectMany(version => Collections.SelectMany(collection => Methods.Select(m =>
            new DialectRoute($"/{version}/{collection}/{{model}}:{m.Method}", m.Observed ? GeminiDialect.Instance : null)))),
    ];

    public IReadOnlyList<string> ForwardedOnly { get; } = ["/v1beta/{**rest}"];

    public IApiDialect ErrorDialect => GeminiDialect.Instance;

    // The SDKs send x-goog-api-key; curl examples and older clients ?key=; OAuth callers a bearer token.
    public IReadOnlyList<InboundKeyLocation> KeyLocations { get; } =
    [
        new(InboundKeyPlace.Header, "x-goog-api-key"),
        new(InboundKeyPlace.Query, "key"),
        InboundKeyLocations.Bearer,
    ];

    public string CredentialHeader => "x-goog-api-key";

    public string CredentialValue(string apiKey) => apiKey;
}
