using Glassbox.Gateway.Calls;
using Glassbox.Gateway.Configuration;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Forwarding;
using Glassbox.Gateway.Requests;

namespace Glassbox.Gateway.Tests.Calls;

/// <summary>Builds calls the way the middleware does, without a server.</summary>
internal static class CallFixtures
{
    public static AiRoute Route(ApiDialect dialect = ApiDialect.AnthropicMessages) =>
        new("test", "Anthropic", new UpstreamOptions { BaseUrl = new Uri("https://upstream.example:8443"), Provider = "anthropic" }, dialect, "/v1/messages");

    public static AiCall Call(ApiDialect dialect = ApiDialect.AnthropicMessages, bool stream = false) =>
        new(Route(dialect), new RequestFacts { Model = "m", Stream = stream }, 0, DateTimeOffset.UnixEpoch);
}
