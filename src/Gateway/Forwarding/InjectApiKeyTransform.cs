using Glassbox.Gateway.Configuration;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

namespace Glassbox.Gateway.Forwarding;

/// <summary>Adds the upstream's configured key when the client sent none; a client's own key always wins.</summary>
internal sealed class InjectApiKeyTransform(string apiKey, ApiFamily api) : RequestTransform
{
    private readonly string _bearer = "Bearer " + apiKey;

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        var headers = context.HttpContext.Request.Headers;
        if (headers.ContainsKey(HeaderNames.Authorization) || headers.ContainsKey("x-api-key"))
        {
            return default;
        }

        if (api == ApiFamily.Anthropic)
        {
            context.ProxyRequest.Headers.TryAddWithoutValidation("x-api-key", apiKey);
        }
        else
        {
            context.ProxyRequest.Headers.TryAddWithoutValidation(HeaderNames.Authorization, _bearer);
        }

        return default;
    }
}
