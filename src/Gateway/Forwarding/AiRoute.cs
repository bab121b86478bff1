using Glassbox.Gateway.Configuration;
using Glassbox.Gateway.Dialects;

namespace Glassbox.Gateway.Forwarding;

/// <summary>What the gateway knows about one YARP route: the upstream behind it and the dialect it speaks.</summary>
internal sealed record AiRoute(string RouteId, string UpstreamName, UpstreamOptions Upstream, ApiDialect Dialect, string Path)
{
    public string ServerAddress { get; } = Upstream.BaseUrl!.Host;

    public int ServerPort { get; } = Upstream.BaseUrl!.Port;
}
