using System.Collections.Frozen;
using Glassbox.Gateway.Configuration;
using Glassbox.Gateway.Dialects;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace Glassbox.Gateway.Forwarding;

/// <summary>
/// Turns the configured upstreams into YARP routes and clusters, and remembers what each route means.
/// </summary>
internal sealed class RouteTable
{
    private const string DefaultRouteSuffix = "default";
    private readonly FrozenDictionary<string, AiRoute> _routes;

    public RouteTable(IOptions<GlassboxOptions> options)
    {
        var glassbox = options.Value;
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        var known = new Dictionary<string, AiRoute>(StringComparer.Ordinal);

        foreach (var (name, upstream) in glassbox.Upstreams)
        {
            clusters.Add(new ClusterConfig
            {
                ClusterId = name,
                Destinations = new Dictionary<string, DestinationConfig>
                {
                    [name] = new() { Address = upstream.BaseUrl!.ToString() },
                },
                HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig
                {
                    // The tee enforces the idle timeout on the body and the attempt loop the headers timeout;
                    // YARP's own idle timer (default 100 s) must not cut either first.
                    ActivityTimeout = Max(upstream.Timeouts.Headers, upstream.Timeouts.Idle) + TimeSpan.FromSeconds(30),
                    AllowResponseBuffering = false,
                },
            });

            foreach (var (path, dialect) in ApiDialects.Family(upstream.Api).Routes)
            {
                var routeId = $"{name}:{path}";
                var fullPath = upstream.PathPrefix + path;
                routes.Add(Route(routeId, name, fullPath, upstream.PathPrefix, methods: ["POST"], order: 0));
                known[routeId] = new AiRoute(routeId, name, upstream, dialect, fullPath);
            }

            foreach (var template in ApiDialects.Family(upstream.Api).ForwardedOnly)
            {
                var routeId = $"{name}:{template}";
                routes.Add(Route(routeId, name, upstream.PathPrefix + template, upstream.PathPrefix, methods: null, order: 50));
                known[routeId] = new AiRoute(routeId, name, upstream, null, upstream.PathPrefix + template);
            }

            if (upstream.PathPrefix.Length > 0)
            {
                var routeId = $"{name}:{DefaultRouteSuffix}";
                routes.Add(Route(routeId, name, upstream.PathPrefix + "/{**rest}", upstream.PathPrefix, methods: null, order: 50));
                known[routeId] = new AiRoute(routeId, name, upstream, null, upstream.PathPrefix);
            }
        }

        var fallback = glassbox.Upstreams[glassbox.DefaultUpstream];
        routes.Add(Route("default", glassbox.DefaultUpstream, "/{**rest}", prefix: "", methods: null, order: 100));
        known["default"] = new AiRoute("default", glassbox.DefaultUpstream, fallback, null, "/");

        Routes = routes;
        Clusters = clusters;
        _routes = known.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IReadOnlyList<RouteConfig> Routes { get; }

    public IReadOnlyList<ClusterConfig> Clusters { get; }

    public AiRoute? Find(string routeId) => _routes.GetValueOrDefault(routeId);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static RouteConfig Route(string routeId, string clusterId, string path, string prefix, string[]? methods, int order)
    {
        // The upstream must see the client's request as sent: no X-Forwarded-* headers added.
        var transforms = new List<IReadOnlyDictionary<string, string>>
        {
            new Dictionary<string, string> { ["X-Forwarded"] = "Off" },
        };
        if (prefix.Length > 0)
        {
            transforms.Add(new Dictionary<string, string> { ["PathRemovePrefix"] = prefix });
        }

        return new RouteConfig
        {
            RouteId = routeId,
            ClusterId = clusterId,
            Order = order,
            Match = new RouteMatch { Path = path, Methods = methods },
            Transforms = transforms,
        };
    }
}
