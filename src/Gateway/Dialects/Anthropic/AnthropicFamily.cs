using Glassbox.Gateway.Auth;
using Glassbox.Gateway.Configuration;

namespace Glassbox.Gateway.Dialects.Anthropic;

/// <summary>The <c>Anthropic</c> API family: <c>/v1/messages</c> observed, <c>/v1/messages/count_tokens</c> forwarded.</summary>
internal sealed class AnthropicFamily : IApiFamily
{
    public static AnthropicFamily Instance { get; } = new();

    private AnthropicFamily()
    {
    }

    public ApiFamily Id => ApiFamily.Anthropic;

    public BuiltInUpstream BuiltIn { get; } = new("https://ezaiapi.com", "anthropic");

    public IReadOnlyList<DialectRoute> Routes { get; } =
    [
        new("/v1/messages", AnthropicMessagesDialect.Instance),
        new("/v1/messages/count_tokens", null),
    ];

    public IApiDialect ErrorDialect => AnthropicMessagesDialect.Instance;

    // Anthropic SDKs send x-api-key, or Authorization: Bearer in auth-token mode.
    public IReadOnlyList<InboundKeyLocation> KeyLocations { get; } = [InboundKeyLocations.XApiKey, InboundKeyLocations.Bearer];

    public string CredentialHeader => "x-api-key";

    public string CredentialValue(string apiKey) => apiKey;
}
