using Glassbox.Gateway.Calls;
using Yarp.ReverseProxy.Transforms;

namespace Glassbox.Gateway.Forwarding;

/// <summary>Hands the current attempt's phase recorder to the HttpClient pipeline through the request's options.</summary>
internal sealed class AttachPhasesTransform : RequestTransform
{
    public static AttachPhasesTransform Instance { get; } = new();

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        if (context.HttpContext.Features.Get<AiCall>()?.CurrentPhases is { } phases)
        {
            context.ProxyRequest.Options.Set(AttemptPhases.Key, phases);
        }

        return default;
    }
}
