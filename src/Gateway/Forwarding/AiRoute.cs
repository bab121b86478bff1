using Glassbox.Gateway.Configuration;
using Glassbox.Gateway.Dialects;

namespace Glassbox.Gateway.Forwarding;

/// <summary>What the gateway knows about one YARP route: the upstream behind it and the dialect it speaks.</summary>
/// <param name="Dialect">Null: forwarded with an ordinary HTTP span, nothing observed.</param>
internal sealed record AiRoute(string RouteId, string UpstreamName, UpstreamOptions Upstream, IApiDialect? Dialect, string Path)
{
    /// <summary>The upstream's API family (routes, key locations, credential).</summary>
    public IApiFamily Family { get; } = ApiDialects.Family(Upstream.Api);

    /// <summary>The dialect of the gateway's own answers on this route.</summary>
    public IApiDialect ErrorDialect => Dialect ?? Family.ErrorDialect;

    public string ServerAddress { get; } = Upstream.BaseUrl!.Host;

    public int ServerPort { get; } = Upstream.BaseUrl!.Port;

    /// <summary><see cref="ServerPort"/> boxed once, for the metric tags of every call.</summary>
    public object ServerPortTag { get; } = Upstream.BaseUrl!.Port;
}
