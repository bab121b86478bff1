using Yarp.ReverseProxy.Transforms;

namespace Glassbox.Gateway.Attribution;

/// <summary>Keeps the gateway's own <c>x-glassbox-*</c> request headers from the upstream; every other header goes through unchanged.</summary>
internal sealed class RemoveAttributionHeadersTransform : RequestTransform
{
    public static readonly RemoveAttributionHeadersTransform Instance = new();

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        foreach (var name in context.HttpContext.Request.Headers.Keys)
        {
            if (name.StartsWith(AttributionNames.HeaderPrefix, StringComparison.OrdinalIgnoreCase))
            {
                RemoveHeader(context, name);
            }
        }

        return default;
    }
}
