using Glassbox.Gateway.Calls;
using Yarp.ReverseProxy.Transforms;

namespace Glassbox.Gateway.UsageInjection;

/// <summary>
/// An injected Chat stream is asked for without <c>Accept-Encoding</c>: the injected usage can be taken out of an
/// uncompressed stream byte for byte, not out of a compressed one. The client, which may accept compression but need
/// not get it, then receives the same events uncompressed. Requests sent as the client wrote them are untouched.
/// </summary>
internal sealed class UsageInjectionRequestTransform : RequestTransform
{
    public static readonly UsageInjectionRequestTransform Instance = new();

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        if (context.HttpContext.Features.Get<AiCall>()?.UsageInjection is { Active: true })
        {
            RemoveHeader(context, "Accept-Encoding");
        }

        return default;
    }
}
