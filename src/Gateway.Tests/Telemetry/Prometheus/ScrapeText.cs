using System.Text;
using Glassbox.Gateway.Telemetry.Prometheus;

namespace Glassbox.Gateway.Tests.Telemetry.Prometheus;

internal static class ScrapeText
{
    /// <summary>A scrape as text, or null when the collector could not collect.</summary>
    public static async Task<string?> ScrapeTextAsync(this ScrapeCollector collector, ExpositionFormat format)
    {
        string? text = null;
        var served = await collector.ScrapeAsync(
            format,
            body =>
            {
                text = Encoding.UTF8.GetString(body.Span);
                return Task.CompletedTask;
            },
            CancellationToken.None);
        return served ? text : null;
    }
}
