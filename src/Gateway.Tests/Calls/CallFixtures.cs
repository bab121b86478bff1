using Glassbox.Gateway.Calls;
using Glassbox.Gateway.Configuration;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Forwarding;
using Glassbox.Gateway.Requests;

namespace Glassbox.Gateway.Tests.Calls;

/// <summary>Builds calls the way the middleware does, without a server.</summary>
internal static class CallFixtures
{
    public static AiRoute Route(IApiDialect? dialect = null) =>
        new("test", "Anthropic", new UpstreamOptions { BaseUrl = new Uri("https://upstream.example:8443"), Provider = "anthropic" }, dialect ?? ApiDialects.AnthropicMessages, "/v1/messages");

    public static AiCall Call(IApiDialect? dialect = null, bool stream = false) =>
        new(Route(dialect), new RequestFacts { Model = "m", Stream = stream }, 0, DateTimeOffset.UnixEpoch);
}
