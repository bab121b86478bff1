using System.Diagnostics;
using Glassbox.Gateway.Calls;
using Glassbox.Gateway.Telemetry;
using static Glassbox.Gateway.Telemetry.TelemetryNames;

namespace Glassbox.Gateway.Resilience;

/// <summary>
/// Draws the retries of one call into its trace: a span per upstream attempt and one per backoff
/// between them, so "attempt, wait, attempt" reads at a glance in the waterfall.
/// </summary>
internal sealed class AttemptTracker(GatewayInstrumentation instrumentation, PhaseSpans phaseSpans, AiCall call)
{
    private Activity? _attempt;
    private Activity? _backoff;

    /// <summary>1-based number of the attempt under way.</summary>
    public int Number { get; private set; }

    public void BeginAttempt()
    {
        _backoff?.Stop();
        _backoff = null;
        Number++;
        if (call.Activity is { } parent)
        {
            _attempt = instrumentation.ActivitySource.StartActivity(Own.SpanAttempt, ActivityKind.Internal, parent.Context);
            _attempt?.Put(Own.AttemptNumber, Number);
        }
    }

    public void EndAttempt(AttemptOutcome outcome, AttemptResult result, AttemptPhases phases)
    {
        var status = result.Status;
        if (_attempt is not { } attempt)
        {
            return;
        }

        phaseSpans.Attempt(attempt, call, phases);
        attempt.Put(Common.HttpResponseStatusCode, status);
        attempt.Put(Own.AttemptReason, outcome.Reason);
        if (outcome.Failure || outcome.Retryable)
        {
            attempt.Put(Ai.ErrorType, status is { } code ? Calls.ErrorClassifier.FromStatus(code) : outcome.Reason);
            attempt.SetStatus(ActivityStatusCode.Error, outcome.Reason);
        }
    }

    public void OnRetry(TimeSpan delay, string reason)
    {
        call.RetryCount++;
        var delayMs = Math.Round(delay.TotalMilliseconds, 1);
        _attempt?.Put(Own.RetryDelayMs, delayMs);
        _attempt?.Stop();
        _attempt = null;
        instrumentation.Retries.Add(1,
            new KeyValuePair<string, object?>(Own.Upstream, call.Route.UpstreamName),
            new KeyValuePair<string, object?>(GenAI.ProviderName, call.Route.Upstream.Provider),
            new KeyValuePair<string, object?>(GenAI.RequestModel, call.MetricModel),
            new KeyValuePair<string, object?>(Own.RetryReason, reason));
        if (call.Activity is { } parent)
        {
            _backoff = instrumentation.ActivitySource.StartActivity(Own.SpanBackoff, ActivityKind.Internal, parent.Context);
            _backoff?.Put(Own.RetryDelayMs, delayMs);
            _backoff?.Put(Own.RetryReason, reason);
        }
    }

    /// <summary>Ends the last attempt when the call ends, with the streaming phases drawn under it.</summary>
    public void Complete()
    {
        _backoff?.Stop();
        if (_attempt is { } attempt)
        {
            phaseSpans.Stream(attempt, call);
            if (call.EndTimestamp is { } end)
            {
                attempt.SetEndTime(phaseSpans.At(call, end).UtcDateTime);
            }

            attempt.Stop();
        }
    }
}
