using Glassbox.Gateway.Auth;
using Glassbox.Gateway.Configuration;
using Glassbox.Gateway.Dialects.OpenAI.Chat;
using Glassbox.Gateway.Dialects.OpenAI.Responses;
using Microsoft.Net.Http.Headers;

namespace Glassbox.Gateway.Dialects.OpenAI;

/// <summary>The <c>OpenAI</c> API family: Chat Completions and Responses.</summary>
internal sealed class OpenAIFamily : IApiFamily
{
    public static OpenAIFamily Instance { get; } = new();

    private OpenAIFamily()
    {
    }

    public ApiFamily Id => ApiFamily.OpenAI;

    public BuiltInUpstream BuiltIn { get; } = new("https://ezaiapi.com", "openai");

    public IReadOnlyList<DialectRoute> Routes { get; } =
    [
        new("/v1/chat/completions", OpenAIChatDialect.Instance),
        new("/v1/responses", OpenAIResponsesDialect.Instance),
    ];

    public IApiDialect ErrorDialect => OpenAIChatDialect.Instance;

    // OpenAI SDKs send a bearer token.
    public IReadOnlyList<InboundKeyLocation> KeyLocations { get; } = [InboundKeyLocations.Bearer, InboundKeyLocations.XApiKey];

    public string CredentialHeader => HeaderNames.Authorization;

    public string CredentialValue(string apiKey) => "Bearer " + apiKey;
}
