using System.Diagnostics;

namespace Glassbox.Gateway.Forwarding;

/// <summary>
/// The outgoing request's trace headers name the gateway's span (as YARP's propagator does), but the caller's
/// <c>baggage</c> is the caller's: it is forwarded exactly as it arrived — malformed or not — instead of being
/// re-serialised from what ASP.NET Core could parse of it (or dropped when it parsed nothing).
/// </summary>
internal sealed class BaggagePreservingPropagator(DistributedContextPropagator inner) : DistributedContextPropagator
{
    public override IReadOnlyCollection<string> Fields => inner.Fields;

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter)
    {
        if (carrier is HttpRequestMessage request)
        {
            // The copied incoming trace headers give way to the gateway's own; baggage stays as the caller sent it.
            foreach (var field in inner.Fields)
            {
                if (!IsBaggage(field))
                {
                    request.Headers.Remove(field);
                }
            }
        }

        inner.Inject(activity, carrier, (target, name, value) =>
        {
            if (!IsBaggage(name))
            {
                setter?.Invoke(target, name, value);
            }
        });
    }

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState) =>
        inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) =>
        inner.ExtractBaggage(carrier, getter);

    private static bool IsBaggage(string header) =>
        header.Equals("baggage", StringComparison.OrdinalIgnoreCase) || header.Equals("Correlation-Context", StringComparison.OrdinalIgnoreCase);
}
