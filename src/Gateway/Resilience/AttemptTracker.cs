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
        HttpClientAttributes(attempt, phases, status);
        attempt.Put(Common.HttpResponseStatusCode, status);
        attempt.Put(Own.AttemptReason, outcome.Reason);
        if (outcome.Failure || outcome.Retryable)
        {
            if (status is null)
            {
                attempt.Put(Common.ErrorType, outcome.Reason);
            }

            attempt.Put(Ai.ErrorType, status is { } code ? Calls.ErrorClassifier.FromStatus(code) : outcome.Reason);
            attempt.SetStatus(ActivityStatusCode.Error, outcome.Reason);
        }
    }

    /// <summary>
    /// What the runtime's HttpClient span said about the exchange, on the attempt span instead: that span mirrored the
    /// attempt one for one and carried nothing else, so it is not recorded (see OpenTelemetrySetup).
    /// </summary>
    private void HttpClientAttributes(Activity attempt, AttemptPhases phases, int? status)
    {
        if (phases.SentRequest is { } request)
        {
            attempt.Put(Common.HttpRequestMethod, request.Method.Method);
            attempt.Put(Common.UrlFull, RedactedUrl(request.RequestUri));
        }

        attempt.Put(Common.ServerAddress, call.Route.ServerAddress);
        attempt.Put(Common.ServerPort, call.Route.ServerPort);
        attempt.Put(Common.NetworkProtocolVersion, phases.ResponseVersion switch
        {
            null => null,
            { Major: 1, Minor: 0 } => "1.0",
            { Major: 1 } => "1.1",
            { Major: 2 } => "2",
            { Major: 3 } => "3",
            var other => other.ToString(),
        });
        if (status is >= 400)
        {
            attempt.Put(Common.ErrorType, StatusText(status.Value));
        }
    }

    /// <summary>As the runtime records <c>url.full</c>: no user info, and a query string's content replaced by <c>*</c>.</summary>
    private static string? RedactedUrl(Uri? uri) => uri is not { IsAbsoluteUri: true } ? null
        : uri.Query.Length > 1 ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) + "?*"
        : uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    private static string StatusText(int status) => RetryDecision.StatusReason(status);

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
