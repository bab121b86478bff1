using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Glassbox.Gateway.Calls;
using Yarp.ReverseProxy.Forwarder;

namespace Glassbox.Gateway.Resilience;

/// <summary>Which upstream answers are transient, and how long the upstream asked us to wait.</summary>
internal static class RetryDecision
{
    public static bool IsRetryableStatus(int status) => status is 408 or 429 or 500 or 502 or 503 or 504 or 529;

    /// <summary>The upstream's <c>x-should-retry</c> overrides the status code, as the official SDKs do.</summary>
    public static bool ShouldRetry(int status, HttpResponseHeaders headers)
    {
        if (headers.TryGetValues("x-should-retry", out var values))
        {
            var value = values.FirstOrDefault();
            if (string.Equals(value, "false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (string.Equals(value, "true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return IsRetryableStatus(status);
    }

    /// <summary>Reads <c>retry-after-ms</c>, then <c>retry-after</c> (seconds or an HTTP date).</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.TryGetValues("retry-after-ms", out var msValues)
            && double.TryParse(msValues.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - now;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }
        }

        // Some hosts send fractional seconds, which the typed header rejects.
        if (headers.TryGetValues("retry-after", out var raw)
            && double.TryParse(raw.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return null;
    }

    /// <summary>
    /// How an attempt counts for the retry and circuit-breaker strategies. A request the upstream may
    /// have received is retried only when its answer says so (held back by status or <c>x-should-retry</c>):
    /// a reset or a headers timeout after the request went out may be a generation already billed.
    /// A connection failure or headers timeout is retried only when no request byte was sent.
    /// </summary>
    public static AttemptOutcome Evaluate(AttemptResult attempt)
    {
        if (attempt.UsageInjectionRejected)
        {
            // Not a retry of the same request: the middleware sends the client's own body next, outside this pipeline.
            return new AttemptOutcome(Retryable: false, Failure: false, UsageInjection.UsageInjector.RetryReason, null);
        }

        if (attempt.HeldBack)
        {
            var status = attempt.Status!.Value;
            return new AttemptOutcome(Retryable: true, Failure: status >= 500, StatusReason(status), attempt.RetryAfter);
        }

        if (attempt.Status is null && !attempt.ResponseStarted && !attempt.ClientAborted && attempt.Timeout is not (AttemptTimeout.Total or AttemptTimeout.Shutdown))
        {
            if (attempt.Timeout == AttemptTimeout.Headers)
            {
                return new AttemptOutcome(Retryable: !attempt.RequestStarted, Failure: true, "headers_timeout", null);
            }

            if (attempt.Error is ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.NoAvailableDestinations)
            {
                return new AttemptOutcome(Retryable: !attempt.RequestStarted, Failure: true, "connection_failure", null);
            }
        }

        return attempt.Status is >= 500 and var failed ? new AttemptOutcome(false, true, StatusReason(failed), null) : AttemptOutcome.Success;
    }

    public static string StatusReason(int status) => status.ToString(CultureInfo.InvariantCulture);
}
