using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Glassbox.Gateway.Forwarding;

/// <summary>Feeds YARP the routes and clusters built from the Glassbox options.</summary>
internal sealed class RouteTableConfigProvider(RouteTable table) : IProxyConfigProvider
{
    private readonly StaticConfig _config = new(table.Routes, table.Clusters);

    public IProxyConfig GetConfig() => _config;

    private sealed class StaticConfig(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        public IReadOnlyList<RouteConfig> Routes { get; } = routes;
        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;
        public IChangeToken ChangeToken { get; } = new CancellationChangeToken(CancellationToken.None);
    }
}
