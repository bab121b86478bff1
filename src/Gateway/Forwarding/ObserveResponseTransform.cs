using System.Globalization;
using Glassbox.Gateway.Calls;
using Glassbox.Gateway.Resilience;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.StreamObservation.Decompression;
using Glassbox.Gateway.StreamObservation.Tee;
using Glassbox.Gateway.Telemetry;
using Yarp.ReverseProxy.Transforms;

namespace Glassbox.Gateway.Forwarding;

/// <summary>
/// Runs when the upstream's headers arrive: notes status and timing, then swaps the response
/// content for the tee so the body is observed while YARP copies it to the client.
/// </summary>
/// <param name="captureChars">Cap of captured generated text; 0 when content capture is off.</param>
internal sealed class ObserveResponseTransform(TimeProvider time, RateLimitHeadroom headroom, int maxObservedBodyBytes, TimeSpan idleTimeout, int captureChars) : ResponseTransform
{
    /// <summary>Largest error body read for a retry delay before deciding on a retry (Google's are a few hundred bytes).</summary>
    private const int MaxRetryDelayBodyBytes = 64 * 1024;

    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        var call = context.HttpContext.Features.Get<AiCall>();
        var proxyResponse = context.ProxyResponse;
        if (call is null || proxyResponse is null)
        {
            return default;
        }

        var headersAt = time.GetTimestamp();
        if (call.CurrentAttempt is { MayHoldBack: true } && call.Dialect.RetryDelayInBody
            && RetryDecision.ShouldRetry((int)proxyResponse.StatusCode, proxyResponse.Headers)
            && RetryDecision.RetryAfter(proxyResponse.Headers, time.GetUtcNow()) is null)
        {
            return ApplyWithBodyRetryDelayAsync(context, call, proxyResponse, headersAt);
        }

        Apply(context, call, proxyResponse, headersAt, bodyRetryDelay: null);
        return default;
    }

    /// <summary>A retryable answer whose wait is in its body (Gemini's <c>RetryInfo</c>): read the small body first, then decide.</summary>
    private async ValueTask ApplyWithBodyRetryDelayAsync(ResponseTransformContext context, AiCall call, HttpResponseMessage proxyResponse, long headersAt)
    {
        TimeSpan? delay = null;
        var content = proxyResponse.Content;
        if (content.Headers.ContentLength is null or <= MaxRetryDelayBodyBytes)
        {
            try
            {
                // Buffered, the body can still be forwarded whole if the wait turns out too long to retry.
                await content.LoadIntoBufferAsync(MaxRetryDelayBodyBytes, context.CancellationToken);
                delay = call.Dialect.RetryDelay(await content.ReadAsByteArrayAsync(context.CancellationToken));
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException)
            {
                // Too large or broken: no delay from the body. Only a held-back answer could have been read, and it is dropped anyway.
            }
        }

        Apply(context, call, proxyResponse, headersAt, delay);
    }

    private void Apply(ResponseTransformContext context, AiCall call, HttpResponseMessage proxyResponse, long headersAt, TimeSpan? bodyRetryDelay)
    {
        var workStarted = time.GetTimestamp();
        try
        {
            Observe(context, call, proxyResponse, headersAt, bodyRetryDelay);
        }
        finally
        {
            call.GatewayWorkTicks += time.GetTimestamp() - workStarted;
        }
    }

    private void Observe(ResponseTransformContext context, AiCall call, HttpResponseMessage proxyResponse, long headersAt, TimeSpan? bodyRetryDelay)
    {
        var status = (int)proxyResponse.StatusCode;
        var attempt = call.CurrentAttempt;
        attempt?.RecordHeaders(status, proxyResponse.Version, headersAt);
        if (RateLimitSnapshot.Read(proxyResponse.Headers) is { } limits)
        {
            call.RateLimits = limits;
            headroom.Update(call.Route.UpstreamName, limits);
        }

        if (attempt is not null && status == StatusCodes.Status400BadRequest && call.UsageInjection is { Active: true })
        {
            // Maybe the upstream does not accept stream_options: the client's own body decides (nothing sent yet).
            attempt.HoldBackForUsageInjection();
            context.SuppressResponseBody = true;
            return;
        }

        if (attempt is { MayHoldBack: true } && RetryDecision.ShouldRetry(status, proxyResponse.Headers))
        {
            // A wait longer than Retry:MaxDelay (retry-after: 99999) is not worth holding the caller for:
            // the answer goes out at once, retry-after included, and the caller's SDK decides.
            var retryAfter = bodyRetryDelay ?? RetryDecision.RetryAfter(proxyResponse.Headers, time.GetUtcNow());
            if (!(retryAfter > call.Route.Upstream.Retry.MaxDelay))
            {
                // Nothing has reached the client yet: hold this answer back and let the attempt loop retry.
                attempt.HoldBack(retryAfter);
                context.SuppressResponseBody = true;
                return;
            }
        }

        AddServerTiming(context.HttpContext.Response, call, headersAt);

        call.RetryAfter = TelemetryText.Name(FirstValue(proxyResponse.Headers, "retry-after-ms") is { } retryAfterMs
            ? retryAfterMs + "ms"
            : FirstValue(proxyResponse.Headers, "retry-after"));

        if (captureChars > 0)
        {
            call.Response.Output = new OutputCapture(captureChars);
        }

        var content = proxyResponse.Content;
        var mediaType = content.Headers.ContentType?.MediaType;
        var isEventStream = string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
        var observer = ResponseObserverFactory.Create(call.Dialect, isEventStream, call.Response, maxObservedBodyBytes);
        var encoding = content.Headers.ContentEncoding.LastOrDefault(e => !e.Equals("identity", StringComparison.OrdinalIgnoreCase));
        if (encoding is not null)
        {
            call.ContentEncoding = TelemetryText.Name(encoding);
            if (observer is not null && DecompressingObserver.CanDecode(encoding))
            {
                var decompressing = DecompressingObserver.Create(encoding, observer, call.Response, time, maxObservedBodyBytes);
                call.BackgroundObservation = decompressing;
                observer = decompressing;
            }
            else if (observer is not null)
            {
                (observer as IDisposable)?.Dispose();
                observer = null;
                call.Response.RecordProblem($"content-encoding '{call.ContentEncoding}' is not decoded; usage unknown");
            }
        }

        var hideUsage = call.UsageInjection is { Active: true } && isEventStream;
        if (hideUsage && encoding is not null)
        {
            hideUsage = false;
            call.Response.RecordProblem($"usage was injected but the stream is '{encoding}'-encoded: the client sees the usage chunk");
        }

        var tee = hideUsage
            ? new ObservingContent(content, inner => new UsageInjection.UsageHidingStream(new ObservingStream(inner, observer, call, time, idleTimeout)))
            : new ObservingContent(content, inner => new ObservingStream(inner, observer, call, time, idleTimeout));
        if (hideUsage)
        {
            tee.Headers.ContentLength = null; // the client gets fewer bytes than the upstream sent
        }

        call.Tee = tee;
        proxyResponse.Content = tee;
    }

    /// <summary>
    /// <c>Server-Timing</c> with what is known when headers go out: the gateway's own work before
    /// forwarding, and the upstream's time from request sent to headers of the answer forwarded.
    /// </summary>
    private void AddServerTiming(HttpResponse response, AiCall call, long headersAt)
    {
        var gatewayMs = time.GetElapsedTime(call.BodyReceivedTimestamp, call.FirstAttemptTimestamp ?? headersAt).TotalMilliseconds;
        var upstreamMs = time.GetElapsedTime(call.CurrentPhases?.Started ?? call.StartTimestamp, headersAt).TotalMilliseconds;
        Span<char> text = stackalloc char[96];
        var length = 0;
        Append(text, ref length, "gateway;dur=");
        AppendMilliseconds(text, ref length, gatewayMs);
        Append(text, ref length, ", upstream;dur=");
        AppendMilliseconds(text, ref length, upstreamMs);
        response.Headers.Append("Server-Timing", new string(text[..length]));
    }

    private static void Append(Span<char> text, ref int length, string part)
    {
        part.CopyTo(text[length..]);
        length += part.Length;
    }

    /// <summary>Milliseconds as <c>0.###</c> would print them, from whole microseconds (double formatting costs more than the rest of the header).</summary>
    private static void AppendMilliseconds(Span<char> text, ref int length, double milliseconds)
    {
        var micros = (long)Math.Round(Math.Max(0, milliseconds) * 1000, MidpointRounding.AwayFromZero);
        Math.DivRem(micros, 1000, out var fraction).TryFormat(text[length..], out var written, default, CultureInfo.InvariantCulture);
        length += written;
        if (fraction == 0)
        {
            return;
        }

        text[length++] = '.';
        for (var divisor = 100L; fraction > 0; divisor /= 10)
        {
            text[length++] = (char)('0' + fraction / divisor);
            fraction %= divisor;
        }
    }

    private static string? FirstValue(System.Net.Http.Headers.HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
