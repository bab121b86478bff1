namespace Glassbox.Gateway.Forwarding;

/// <summary>
/// The gateway forwards API calls to its configured upstreams and is never a tunnel: <c>CONNECT</c>
/// (HTTP/1.1, or HTTP/2 extended CONNECT) gets 405 before any route sees it.
/// </summary>
internal static class TunnelRefusal
{
    public static IApplicationBuilder UseTunnelRefusal(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (!HttpMethods.IsConnect(context.Request.Method))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Connection = "close";
        return Task.CompletedTask;
    });
}
