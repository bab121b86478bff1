using Glassbox.Gateway.Dialects;
using Yarp.ReverseProxy.Transforms;

namespace Glassbox.Gateway.Auth;

/// <summary>
/// The upstream's credential on the forwarded request. A caller that passed the gateway-key check
/// had its gateway key stripped (every place a key can be, so it never reaches the upstream) and the
/// upstream's key put in its place. Without inbound keys, the configured key is added only when the
/// caller sent none: a caller's own provider key always wins (the sidecar case).
/// </summary>
internal sealed class UpstreamKeyTransform(string? apiKey, IApiFamily family) : RequestTransform
{
    private readonly string? _credential = apiKey is null ? null : family.CredentialValue(apiKey);

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        var proxyHeaders = context.ProxyRequest.Headers;
        if (context.HttpContext.Features.Get<GatewayKeyFeature>() is not null)
        {
            foreach (var location in family.KeyLocations)
            {
                if (location.Place == InboundKeyPlace.Query)
                {
                    context.Query.Collection.Remove(location.Name); // the upstream's key goes in a header instead
                }
                else
                {
                    proxyHeaders.Remove(location.Name);
                }
            }
        }
        else
        {
            var request = context.HttpContext.Request;
            foreach (var location in family.KeyLocations)
            {
                if (location.Place == InboundKeyPlace.Query ? request.Query.ContainsKey(location.Name) : request.Headers.ContainsKey(location.Name))
                {
                    return default; // the caller's own key
                }
            }
        }

        if (_credential is not null)
        {
            proxyHeaders.TryAddWithoutValidation(family.CredentialHeader, _credential);
        }

        return default;
    }
}
