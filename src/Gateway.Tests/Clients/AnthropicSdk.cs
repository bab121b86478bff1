using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Clients;

/// <summary>Anthropic SDK clients pointed at a harness's gateway, retries off.</summary>
internal static class AnthropicSdk
{
    /// <summary>An SDK client with the gateway as its base URL (no path), retries off.</summary>
    public static AnthropicClient CreateClient(GatewayHarness harness) => new(new ClientOptions
    {
        BaseUrl = harness.GatewayUri.ToString().TrimEnd('/'),
        ApiKey = AiRequests.ApiKey,
        MaxRetries = 0,
        Timeout = TimeSpan.FromSeconds(20),
    });

    public static MessageCreateParams Params(string model) => new()
    {
        Model = model,
        MaxTokens = 256,
        Messages = [new UserMessageParam(AiRequests.Prompt)],
    };
}
