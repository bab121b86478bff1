using System.Diagnostics;
using Glassbox.Gateway.Forwarding;
using Glassbox.Gateway.Requests;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Calls;

/// <summary>
/// The facts of one AI call, from request to last byte. Filled by the request reader, the
/// response transform and the tee; turned into telemetry exactly once when the call ends.
/// </summary>
internal sealed class AiCall
{
    private int _finished;

    public AiCall(AiRoute route, RequestFacts request, long startTimestamp, DateTimeOffset startUtc)
    {
        Route = route;
        Request = request;
        StartTimestamp = startTimestamp;
        StartUtc = startUtc;
    }

    public AiRoute Route { get; }
    public RequestFacts Request { get; }
    public ResponseFacts Response { get; } = new();
    public Activity? Activity { get; set; }

    public long StartTimestamp { get; }

    /// <summary>Wall-clock time of <see cref="StartTimestamp"/>, to place phase spans.</summary>
    public DateTimeOffset StartUtc { get; }

    /// <summary>When the last byte of the request body had arrived from the client.</summary>
    public long BodyReceivedTimestamp { get; set; }

    /// <summary>When the first attempt handed the request to the forwarder.</summary>
    public long? FirstAttemptTimestamp { get; set; }

    /// <summary>When the request body had been read and parsed.</summary>
    public long RequestReadTimestamp { get; set; }

    /// <summary>Phases of the attempt under way (the last attempt once the call is done).</summary>
    public AttemptPhases? CurrentPhases { get; set; }

    /// <summary>Ticks the gateway spent on its own work after forwarding started (transform, observers).</summary>
    public long GatewayWorkTicks { get; set; }

    /// <summary>Provider rate-limit headroom read from the final response's headers.</summary>
    public Telemetry.RateLimitSnapshot? RateLimits { get; set; }

    /// <summary>When the upstream's response headers arrived (time to first byte).</summary>
    public long? HeadersTimestamp { get; set; }

    /// <summary>When the last byte was handed to the client, or the stream was abandoned.</summary>
    public long? EndTimestamp { get; set; }

    public int? StatusCode { get; set; }
    public string? ContentEncoding { get; set; }

    /// <summary>The upstream body reached its end (EOF) and was forwarded.</summary>
    public bool BodyEnded { get; set; }

    public int RetryCount { get; set; }

    /// <summary>This attempt may still be retried: a retryable answer is held back from the client.</summary>
    public bool CanRetry { get; set; }

    /// <summary>The transform held back a retryable answer; the attempt loop will try again.</summary>
    public bool SuppressedForRetry { get; set; }

    /// <summary>Delay the upstream asked for on a held-back answer.</summary>
    public TimeSpan? SuppressedRetryAfter { get; set; }

    /// <summary>Fires when the caller goes away.</summary>
    public CancellationToken ClientAborted { get; set; }

    /// <summary>Fires when the call's overall time cap is reached.</summary>
    public CancellationToken TotalTimeout { get; set; }

    /// <summary>The per-attempt time-to-headers timer; stopped when headers arrive.</summary>
    public CancellationTokenSource? HeadersTimer { get; set; }

    /// <summary>Raw <c>retry-after</c> (or <c>retry-after-ms</c>) of the forwarded error response.</summary>
    public string? RetryAfter { get; set; }

    public CallEndReason EndReason { get; set; } = CallEndReason.Completed;

    /// <summary><c>ai.error.type</c> decided by the gateway itself (takes precedence over the status code's).</summary>
    public string? GatewayErrorType { get; set; }
    public string? GatewayErrorMessage { get; set; }
    public Exception? Exception { get; set; }

    /// <summary>Which timeout fired, when one did.</summary>
    public string? TimeoutKind { get; set; }

    /// <summary>The tee installed on the response, if the upstream answered.</summary>
    public IDisposable? Tee { get; set; }

    /// <summary>Work still reading the side copy (decompression); awaited before the call is finished.</summary>
    public Task ObservationCompleted { get; set; } = Task.CompletedTask;

    /// <summary>True for the one caller that gets to finish the call.</summary>
    public bool TryMarkFinished() => Interlocked.Exchange(ref _finished, 1) == 0;
}
