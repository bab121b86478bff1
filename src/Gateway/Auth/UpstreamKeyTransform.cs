using Glassbox.Gateway.Configuration;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

namespace Glassbox.Gateway.Auth;

/// <summary>
/// The upstream's credential on the forwarded request. A caller that passed the gateway-key check
/// had its gateway key stripped (every place a key can be, so it never reaches the upstream) and the
/// upstream's key put in its place. Without inbound keys, the configured key is added only when the
/// caller sent none: a caller's own provider key always wins (the sidecar case).
/// </summary>
internal sealed class UpstreamKeyTransform(string? apiKey, ApiFamily api) : RequestTransform
{
    private readonly string? _bearer = apiKey is null ? null : "Bearer " + apiKey;

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        var proxyHeaders = context.ProxyRequest.Headers;
        if (context.HttpContext.Features.Get<GatewayKeyFeature>() is not null)
        {
            foreach (var location in InboundKeyLocations.For(api))
            {
                if (location.Place != InboundKeyPlace.Query)
                {
                    proxyHeaders.Remove(location.Name);
                }
            }
        }
        else
        {
            var headers = context.HttpContext.Request.Headers;
            if (headers.ContainsKey(HeaderNames.Authorization) || headers.ContainsKey("x-api-key"))
            {
                return default;
            }
        }

        if (apiKey is null)
        {
            return default;
        }

        if (api == ApiFamily.Anthropic)
        {
            proxyHeaders.TryAddWithoutValidation("x-api-key", apiKey);
        }
        else
        {
            proxyHeaders.TryAddWithoutValidation(HeaderNames.Authorization, _bearer);
        }

        return default;
    }
}
