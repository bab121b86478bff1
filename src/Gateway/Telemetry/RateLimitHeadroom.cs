using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Glassbox.Gateway.Telemetry;

/// <summary>
/// The latest rate-limit headroom seen per upstream, exported as gauges so dashboards show the
/// remaining requests and tokens before the 429s start.
/// </summary>
internal sealed class RateLimitHeadroom
{
    // One entry per upstream and kind, updated in place: replacing a 32-byte value allocated a dictionary node per kind per response.
    private readonly ConcurrentDictionary<(string Upstream, int Kind), Latest> _latest = new();

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
                var latest = _latest.GetOrAdd((upstream, kind), static _ => new Latest());
                latest.Limit = snapshot.Limit(kind) ?? Latest.None;
                latest.Remaining = snapshot.Remaining(kind) ?? Latest.None;
            }
        }
    }

    private IEnumerable<Measurement<long>> Observe(bool remaining)
    {
        foreach (var ((upstream, kind), value) in _latest)
        {
            if ((remaining ? value.Remaining : value.Limit) is var number and not Latest.None)
            {
                yield return new Measurement<long>(number,
                    new KeyValuePair<string, object?>(TelemetryNames.Own.Upstream, upstream),
                    new KeyValuePair<string, object?>(TelemetryNames.Own.RateLimitKind, RateLimitSnapshot.Kinds[kind]));
            }
        }
    }

    /// <summary>The latest figures of one kind; each is one atomic write, <see cref="None"/> when the response had none.</summary>
    private sealed class Latest
    {
        public const long None = long.MinValue;

        public long Limit = None;
        public long Remaining = None;
    }
}
