using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Glassbox.Gateway.Telemetry;

/// <summary>
/// Adds the W3C <c>traceresponse</c> header (<c>00-{trace-id}-{span-id}-{flags}</c>) to every
/// response, so a user holding any response can find its trace.
/// </summary>
internal static class TraceResponseHeader
{
    public const string HeaderName = "traceresponse";

    public static IApplicationBuilder UseTraceResponseHeader(this IApplicationBuilder app) => app.Use(static (context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            var activity = context.Features.Get<IHttpActivityFeature>()?.Activity ?? Activity.Current;
            if (activity is not null && activity.IdFormat == ActivityIdFormat.W3C)
            {
                context.Response.Headers[HeaderName] = string.Concat(
                    "00-", activity.TraceId.ToHexString(), "-", activity.SpanId.ToHexString(),
                    (activity.ActivityTraceFlags & ActivityTraceFlags.Recorded) != 0 ? "-01" : "-00");
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    });
}
