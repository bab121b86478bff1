using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Glassbox.Gateway.Forwarding;
using Glassbox.Gateway.Requests;
using Glassbox.Gateway.Telemetry;

namespace Glassbox.Gateway.UsageInjection;

/// <summary>
/// Decides, per call, whether a Chat stream gets <c>include_usage</c> injected (the client did not ask and its upstream
/// injects), and remembers the upstreams that turned out not to accept <c>stream_options</c>.
/// </summary>
internal sealed class UsageInjector(GatewayInstrumentation instrumentation, ILogger<UsageInjector> logger)
{
    /// <summary><c>glassbox.retry.reason</c> of the resend without the injection.</summary>
    public const string RetryReason = "usage_injection_rejected";

    private readonly ConcurrentDictionary<string, bool> _refusedBy = new(StringComparer.Ordinal);
    private readonly Counter<long> _disabled = instrumentation.Meter.CreateCounter<long>(TelemetryNames.Own.MetricUsageInjectionDisabled, "{upstream}",
        "Upstreams that rejected an injected stream_options.include_usage; the gateway stops injecting for them.");

    /// <summary>Null when injection does not apply to this call; otherwise its state (possibly not injected, e.g. an ambiguous body).</summary>
    public CallUsageInjection? Decide(AiRoute route, RequestFacts facts, BufferedRequestBody body)
    {
        // Only the Chat dialect injects (its family is OpenAI's, where injection is on unless configured off).
        if (route.Dialect is not { InjectsStreamUsage: true } || !facts.Stream || facts.IncludeUsage || route.Upstream.InjectStreamUsage == false)
        {
            return null;
        }

        if (_refusedBy.ContainsKey(route.UpstreamName))
        {
            return new CallUsageInjection(null);
        }

        return StreamOptionsInjector.TryInject(body.Span, out var edited) == StreamOptionsEdit.Injected
            ? new CallUsageInjection(BufferedRequestBody.FromBytes(edited!))
            : new CallUsageInjection(null);
    }

    /// <summary>The upstream accepted the body without the injection after rejecting it with it: stop injecting for it.</summary>
    public void RefusedBy(string upstream)
    {
        if (_refusedBy.TryAdd(upstream, true))
        {
            _disabled.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Own.Upstream, upstream));
            UsageInjectionLog.Disabled(logger, upstream);
        }
    }
}
