using Glassbox.Gateway.Calls;
using Glassbox.Gateway.Resilience;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.StreamObservation.Decompression;
using Glassbox.Gateway.StreamObservation.Tee;
using Yarp.ReverseProxy.Transforms;

namespace Glassbox.Gateway.Forwarding;

/// <summary>
/// Runs when the upstream's headers arrive: notes status and timing, then swaps the response
/// content for the tee so the body is observed while YARP copies it to the client.
/// </summary>
internal sealed class ObserveResponseTransform(TimeProvider time, int maxObservedBodyBytes, TimeSpan idleTimeout) : ResponseTransform
{
    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        var call = context.HttpContext.Features.Get<AiCall>();
        var proxyResponse = context.ProxyResponse;
        if (call is null || proxyResponse is null)
        {
            return default;
        }

        call.HeadersTimestamp = time.GetTimestamp();
        call.HeadersTimer?.CancelAfter(Timeout.InfiniteTimeSpan);
        call.StatusCode = (int)proxyResponse.StatusCode;
        if (call.CanRetry && RetryDecision.ShouldRetry(call.StatusCode.Value, proxyResponse.Headers))
        {
            // Nothing has reached the client yet: hold this answer back and let the attempt loop retry.
            call.SuppressedForRetry = true;
            call.SuppressedRetryAfter = RetryDecision.RetryAfter(proxyResponse.Headers, time.GetUtcNow());
            context.SuppressResponseBody = true;
            return default;
        }

        call.RetryAfter = FirstValue(proxyResponse.Headers, "retry-after-ms") is { } retryAfterMs
            ? retryAfterMs + "ms"
            : FirstValue(proxyResponse.Headers, "retry-after");

        var content = proxyResponse.Content;
        var mediaType = content.Headers.ContentType?.MediaType;
        var isEventStream = string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
        var observer = ResponseObserverFactory.Create(call.Route.Dialect, isEventStream, call.Response, maxBodyBytes: maxObservedBodyBytes);
        var encoding = content.Headers.ContentEncoding.LastOrDefault(e => !e.Equals("identity", StringComparison.OrdinalIgnoreCase));
        if (encoding is not null)
        {
            call.ContentEncoding = encoding;
            if (observer is not null && DecompressingObserver.CanDecode(encoding))
            {
                var decompressing = DecompressingObserver.Create(encoding, observer, call.Response, time);
                call.ObservationCompleted = decompressing.Completion;
                observer = decompressing;
            }
            else if (observer is not null)
            {
                (observer as IDisposable)?.Dispose();
                observer = null;
                call.Response.RecordProblem($"content-encoding '{encoding}' is not decoded; usage unknown");
            }
        }

        var tee = new ObservingContent(content, inner => new ObservingStream(inner, observer, call, time, idleTimeout));
        call.Tee = tee;
        proxyResponse.Content = tee;
        return default;
    }

    private static string? FirstValue(System.Net.Http.Headers.HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
