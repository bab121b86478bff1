using Microsoft.Net.Http.Headers;

namespace Glassbox.Gateway.Telemetry.Prometheus;

/// <summary>The two formats a scrape can ask for: the Prometheus text format, or OpenMetrics (exemplars, <c>_created</c>, <c># EOF</c>).</summary>
internal enum ExpositionFormat
{
    PrometheusText,
    OpenMetrics,
}

internal static class ExpositionFormats
{
    public const string PrometheusTextContentType = "text/plain; version=0.0.4; charset=utf-8";
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores";

    /// <summary>OpenMetrics when the scraper's <c>Accept</c> lists it (with a nonzero weight); the text format otherwise, malformed headers included.</summary>
    public static ExpositionFormat Negotiate(IList<string>? accept)
    {
        if (accept is null || !MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return ExpositionFormat.PrometheusText;
        }

        foreach (var type in types)
        {
            if (type.MediaType.Equals("application/openmetrics-text", StringComparison.OrdinalIgnoreCase) && type.Quality is not 0)
            {
                return ExpositionFormat.OpenMetrics;
            }
        }

        return ExpositionFormat.PrometheusText;
    }

    public static string ContentType(ExpositionFormat format) =>
        format == ExpositionFormat.OpenMetrics ? OpenMetricsContentType : PrometheusTextContentType;
}
