using System.Globalization;

namespace Glassbox.Bench.Soak;

/// <summary>Reads the gateway's own Prometheus endpoint.</summary>
internal static class GatewayMetrics
{
    private const string CallCount = "gen_ai_client_operation_duration_seconds_count{";
    private const string ModelLabel = "gen_ai_request_model=\"";

    /// <summary>Calls the gateway finished, by request model: the count of its call-duration histogram, summed over the other labels.</summary>
    public static async Task<Dictionary<string, long>> CallsByModelAsync(HttpClient gateway)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        string text;
        try
        {
            text = await gateway.GetStringAsync(new Uri("metrics", UriKind.Relative));
        }
        catch (HttpRequestException)
        {
            return counts;
        }

        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(CallCount, StringComparison.Ordinal))
            {
                continue;
            }

            var start = line.IndexOf(ModelLabel, StringComparison.Ordinal);
            if (start < 0)
            {
                continue;
            }

            start += ModelLabel.Length;
            var model = line[start..line.IndexOf('"', start)];
            var value = line[(line.LastIndexOf(' ') + 1)..];
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var count))
            {
                counts[model] = counts.GetValueOrDefault(model) + (long)count;
            }
        }

        return counts;
    }
}
