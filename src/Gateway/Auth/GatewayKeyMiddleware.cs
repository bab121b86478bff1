using Glassbox.Gateway.Configuration;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Forwarding;
using Glassbox.Gateway.Telemetry;
using Yarp.ReverseProxy.Model;

namespace Glassbox.Gateway.Auth;

/// <summary>
/// First step of every proxied route when gateway keys are configured: a caller without an accepted
/// key gets 401 in its API's dialect and nothing is forwarded. The key itself is replaced by the
/// upstream's on the way out (<see cref="UpstreamKeyTransform"/>).
/// </summary>
internal sealed class GatewayKeyMiddleware(RequestDelegate next, GatewayKeyStore keys, RouteTable routes, GatewayInstrumentation instrumentation)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!keys.Enabled)
        {
            return next(context);
        }

        var route = routes.Find(context.GetReverseProxyFeature().Route.Config.RouteId);
        var family = route?.Family ?? ApiDialects.Family(ApiFamily.Anthropic);
        var presented = InboundKeyLocations.Find(context.Request, family);
        if (presented is not null && keys.TryMatch(presented, out var id))
        {
            context.Features.Set(new GatewayKeyFeature(id));
            return next(context);
        }

        var reason = presented is null ? "missing" : "invalid";
        instrumentation.AuthRejected.Add(1,
            new KeyValuePair<string, object?>(TelemetryNames.Own.Upstream, route?.UpstreamName),
            new KeyValuePair<string, object?>(TelemetryNames.Own.AuthReason, reason));
        return DialectErrorWriter.WriteAsync(context, route?.ErrorDialect ?? family.ErrorDialect, StatusCodes.Status401Unauthorized, GatewayErrorKind.Authentication,
            presented is null
                ? "No gateway key: send the key this gateway issued where your SDK sends its API key."
                : "The gateway key is not valid.");
    }
}
