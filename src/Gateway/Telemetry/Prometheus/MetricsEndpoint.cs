using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Telemetry.Prometheus;

/// <summary>
/// The scrape endpoint: the metric reader's current collection (<see cref="ScrapeCollector"/>) in the Prometheus text
/// format, or OpenMetrics when the scraper asks for it in <c>Accept</c>, behind a guard that answers requests it
/// should not serve with plain HTTP errors. It runs ahead of the proxy, so the path never reaches an upstream.
/// </summary>
internal static class MetricsEndpoint
{
    /// <summary>With <c>Glassbox:Metrics:Port</c> set, Kestrel also listens there (host of the first listen address).</summary>
    public static void AddManagementListener(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!int.TryParse(configuration[$"{MetricsEndpointOptions.SectionName}:Port"], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535
            || string.Equals(configuration[$"{MetricsEndpointOptions.SectionName}:Enabled"], "false", StringComparison.OrdinalIgnoreCase))
        {
            return; // Nothing to add, or a bad value that options validation reports by its key.
        }

        if (configuration["urls"] is { Length: > 0 } urls)
        {
            builder.WebHost.UseUrls(string.Concat(urls, ";", ManagementUrl(urls, port)));
        }
        else if (configuration["http_ports"] is { Length: > 0 } httpPorts)
        {
            builder.WebHost.UseSetting("http_ports", string.Create(CultureInfo.InvariantCulture, $"{httpPorts};{port}"));
        }
    }

    public static void UseGlassboxMetricsEndpoint(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsEndpointOptions>>().Value;
        if (!options.Enabled)
        {
            return;
        }

        var path = new PathString(options.Path);
        if (options.Port is { } port)
        {
            // The management port serves the scrape endpoint and nothing else: no traffic is forwarded from it.
            app.Use(next => context => context.Connection.LocalPort == port && !IsMetricsPath(context, path)
                ? NotFound(context)
                : next(context));
        }

        var collector = app.Services.GetRequiredService<ScrapeCollector>();
        app.MapWhen(
            context => IsMetricsPath(context, path),
            branch => branch
                .Use(next => context => Guard(context, options.Port, next))
                .Run(context => ServeAsync(context, collector)));
    }

    /// <summary>The collection rendered in the format the scraper accepts; 503 when none could be had in time.</summary>
    private static async Task ServeAsync(HttpContext context, ScrapeCollector collector)
    {
        var format = ExpositionFormats.Negotiate(context.Request.Headers.Accept);
        var served = await collector.ScrapeAsync(
            format,
            async body =>
            {
                context.Response.ContentType = ExpositionFormats.ContentType(format);
                context.Response.ContentLength = body.Length;
                if (!HttpMethods.IsHead(context.Request.Method))
                {
                    await context.Response.Body.WriteAsync(body, context.RequestAborted);
                }
            },
            context.RequestAborted);
        if (!served)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
    }

    private static bool IsMetricsPath(HttpContext context, PathString path) =>
        context.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase);

    /// <summary>Only GET/HEAD on the right port are scrapes; the rest get 404 or 405, never an exception.</summary>
    private static Task Guard(HttpContext context, int? managementPort, RequestDelegate next)
    {
        // Scrapes are not traffic: keep them out of the http.server.* request metrics.
        if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metricsTags)
        {
            metricsTags.MetricsDisabled = true;
        }

        if (managementPort is { } port && context.Connection.LocalPort != port)
        {
            return NotFound(context);
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            return Task.CompletedTask;
        }

        return next(context);
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    /// <summary><c>http://{host of the first listen address}:{port}</c>.</summary>
    internal static string ManagementUrl(string urls, int port)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var scheme = first.IndexOf("://", StringComparison.Ordinal);
        var hostStart = scheme < 0 ? 0 : scheme + 3;
        var portStart = first.LastIndexOf(':');
        var host = portStart > hostStart && !first[portStart..].Contains(']', StringComparison.Ordinal)
            ? first[hostStart..portStart]
            : first[hostStart..].TrimEnd('/');
        return string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}");
    }
}
