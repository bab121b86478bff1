using Microsoft.AspNetCore.Http.Features;
using static Glassbox.Gateway.Telemetry.TelemetryNames;

namespace Glassbox.Gateway.Ingress;

/// <summary>
/// Puts <c>client.address</c> (and, behind a proxy that said so, <c>url.scheme</c>) on the server span and
/// remembers the address for the call span. The request itself is left exactly as the client sent it:
/// forwarded headers reach the upstream unchanged and none are added.
/// </summary>
internal sealed class ClientAddressMiddleware(RequestDelegate next, KnownNetworks known)
{
    public Task InvokeAsync(HttpContext context)
    {
        var (address, scheme) = ForwardedChain.Resolve(context.Connection.RemoteIpAddress, context.Request.Headers, known);
        context.Features.Set(new ClientAddressFeature(address));
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } server)
        {
            server.SetTag(Common.ClientAddress, address);
            if (scheme is not null)
            {
                server.SetTag(Common.UrlScheme, scheme);
            }
        }

        return next(context);
    }
}

/// <summary>The client's address as <see cref="ClientAddressMiddleware"/> decided it.</summary>
internal sealed record ClientAddressFeature(string? Address)
{
    public static string? Of(HttpContext context) => context.Features.Get<ClientAddressFeature>()?.Address;
}
