using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Glassbox.Gateway.Telemetry;

/// <summary>
/// The latest rate-limit headroom seen per upstream, exported as gauges so dashboards show the
/// remaining requests and tokens before the 429s start.
/// </summary>
internal sealed class RateLimitHeadroom
{
    private readonly ConcurrentDictionary<(string Upstream, int Kind), (long? Limit, long? Remaining)> _latest = new();

    public RateLimitHeadroom(GatewayInstrumentation instrumentation)
    {
        instrumentation.Meter.CreateObservableGauge(TelemetryNames.Own.MetricRateLimitRemaining, () => Observe(remaining: true), "{unit}",
            "Requests or tokens the provider says remain in the current window, per upstream (latest response).");
        instrumentation.Meter.CreateObservableGauge(TelemetryNames.Own.MetricRateLimitLimit, () => Observe(remaining: false), "{unit}",
            "The provider's rate limit per window, per upstream (latest response).");
    }

    public void Update(string upstream, RateLimitSnapshot snapshot)
    {
        for (var kind = 0; kind < RateLimitSnapshot.Kinds.Length; kind++)
        {
            if (snapshot.Limit(kind) is not null || snapshot.Remaining(kind) is not null)
            {
                _latest[(upstream, kind)] = (snapshot.Limit(kind), snapshot.Remaining(kind));
            }
        }
    }

    private IEnumerable<Measurement<long>> Observe(bool remaining)
    {
        foreach (var ((upstream, kind), value) in _latest)
        {
            if ((remaining ? value.Remaining : value.Limit) is { } number)
            {
                yield return new Measurement<long>(number,
                    new KeyValuePair<string, object?>(TelemetryNames.Own.Upstream, upstream),
                    new KeyValuePair<string, object?>(TelemetryNames.Own.RateLimitKind, RateLimitSnapshot.Kinds[kind]));
            }
        }
    }
}
