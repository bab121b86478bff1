using System.Diagnostics;

namespace Glassbox.Gateway.Forwarding;

/// <summary>
/// Writes the upstream request's trace headers from the current span, the attempt span, so the upstream continues
/// the trace at a span the gateway exports. The runtime's own propagation is off (<see cref="PhaseTimingHttpClientFactory"/>):
/// it started an HttpClient activity per request, which is never exported, and named that one as the upstream's parent.
/// </summary>
internal sealed class TraceContextHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly DistributedContextPropagator Propagator = new BaggagePreservingPropagator(DistributedContextPropagator.Current);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Activity.Current is { } span)
        {
            Propagator.Inject(span, request, static (carrier, name, value) =>
            {
                if (carrier is HttpRequestMessage message && !message.Headers.Contains(name))
                {
                    message.Headers.TryAddWithoutValidation(name, value);
                }
            });
        }

        return base.SendAsync(request, cancellationToken);
    }
}
