#pragma warning disable OPENAI001 // ResponsesClient and its options are [Experimental]
using System.ClientModel;
using System.ClientModel.Primitives;
using Glassbox.Gateway.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Responses;

namespace Glassbox.Gateway.Tests.Clients;

/// <summary>OpenAI SDK clients pointed at a harness's gateway, retries off.</summary>
internal static class OpenAISdk
{
    /// <summary>The gateway's <c>/v1</c>: what users set as the SDK endpoint (<c>OPENAI_BASE_URL</c>).</summary>
    public static Uri Endpoint(GatewayHarness harness) => new(harness.GatewayUri, "v1");

    public static ChatClient CreateChatClient(GatewayHarness harness, string model) =>
        new(model, new ApiKeyCredential(AiRequests.ApiKey), new OpenAIClientOptions
        {
            Endpoint = Endpoint(harness),
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = TimeSpan.FromSeconds(20),
        });

    public static ResponsesClient CreateResponsesClient(GatewayHarness harness) =>
        new(new ApiKeyCredential(AiRequests.ApiKey), new ResponsesClientOptions
        {
            Endpoint = Endpoint(harness),
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = TimeSpan.FromSeconds(20),
        });
}
