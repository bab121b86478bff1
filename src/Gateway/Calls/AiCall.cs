using System.Diagnostics;
using Glassbox.Gateway.Forwarding;
using Glassbox.Gateway.Requests;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.StreamObservation.Tee;

namespace Glassbox.Gateway.Calls;

/// <summary>
/// The facts of one AI call, from request to last byte. Filled by the request reader, the
/// response transform and the tee (each writes its own facts); how the call ended is decided once,
/// from those facts, by <see cref="CallEnding"/>, then turned into telemetry exactly once.
/// </summary>
internal sealed class AiCall
{
    private int _finished;
    private StreamEnd? _streamEnd;

    public AiCall(AiRoute route, RequestFacts request, long startTimestamp, DateTimeOffset startUtc)
    {
        Route = route;
        Request = request;
        StartTimestamp = startTimestamp;
        StartUtc = startUtc;
    }

    public AiRoute Route { get; }

    /// <summary>The route's dialect: an AI call exists only on a route that has one.</summary>
    public Dialects.IApiDialect Dialect => Route.Dialect!;
    public RequestFacts Request { get; }
    public ResponseFacts Response { get; } = new();
    public Activity? Activity { get; set; }

    public long StartTimestamp { get; }

    /// <summary><c>client.address</c>: the TCP peer, or the client a known proxy reported.</summary>
    public string? ClientAddress { get; init; }

    /// <summary>Wall-clock time of <see cref="StartTimestamp"/>, to place phase spans.</summary>
    public DateTimeOffset StartUtc { get; }

    /// <summary>When the last byte of the request body had arrived from the client.</summary>
    public long BodyReceivedTimestamp { get; set; }

    /// <summary>When the first attempt handed the request to the forwarder.</summary>
    public long? FirstAttemptTimestamp { get; set; }

    /// <summary>When the request body had been read and parsed.</summary>
    public long RequestReadTimestamp { get; set; }

    /// <summary>The attempt under way (the last attempt once the call is done).</summary>
    public UpstreamAttempt? CurrentAttempt { get; set; }

    /// <summary>Phases of the attempt under way (the last attempt once the call is done).</summary>
    public AttemptPhases? CurrentPhases => CurrentAttempt?.Phases;

    /// <summary>Ticks the gateway spent on its own work after forwarding started (transform, observers).</summary>
    public long GatewayWorkTicks { get; set; }

    /// <summary>Provider rate-limit headroom read from the final response's headers.</summary>
    public Telemetry.RateLimitSnapshot? RateLimits { get; set; }

    /// <summary>When the upstream's response headers arrived (time to first byte) on the last attempt.</summary>
    public long? HeadersTimestamp => CurrentAttempt?.Phases.HeadersReceived;

    /// <summary>How the forwarded body ended; reported once, by the tee.</summary>
    public StreamEnd? StreamEnd => _streamEnd;

    /// <summary>When the gateway finished writing its own answer.</summary>
    public long? AnsweredTimestamp { get; set; }

    /// <summary>When the last byte was handed to the client, or the stream was abandoned.</summary>
    public long? EndTimestamp => _streamEnd?.Timestamp ?? AnsweredTimestamp;

    /// <summary>The upstream body reached its end (EOF) and was forwarded.</summary>
    public bool BodyEnded => _streamEnd?.Kind == StreamEndKind.Eof;

    /// <summary>How the call ended; decided once by <see cref="CallEnding.Decide"/> before telemetry is written.</summary>
    public CallConclusion? Conclusion { get; private set; }

    /// <summary>The status the client got (the upstream's, or the gateway's own answer's).</summary>
    public int? StatusCode => Conclusion is { } conclusion ? conclusion.StatusCode : CurrentAttempt?.Status;

    public CallEndReason EndReason => Conclusion?.EndReason ?? CallEndReason.Completed;

    public string? ContentEncoding { get; set; }

    public int RetryCount { get; set; }

    /// <summary>Who the call is for (app, endpoint, user, tags, API key id and alias), read once from the request.</summary>
    public Attribution.CallAttribution Attribution { get; init; } = Gateway.Attribution.CallAttribution.None;

    /// <summary><c>gen_ai.request.model</c> as metrics record it: the caller's value, or <c>_other</c> past the dimension's cap.</summary>
    public string? MetricModel { get; init; }

    /// <summary>Usage injection of a Chat stream that did not ask for usage; null when it does not apply.</summary>
    public UsageInjection.CallUsageInjection? UsageInjection { get; init; }

    /// <summary>Fires when the caller goes away.</summary>
    public CancellationToken ClientAborted { get; set; }

    /// <summary>Fires when the gateway is shutting down and its drain timeout ran out.</summary>
    public CancellationToken DrainExpired { get; set; }

    /// <summary>Fires when the call's overall time cap is reached.</summary>
    public CancellationToken TotalTimeout { get; set; }

    /// <summary>Raw <c>retry-after</c> (or <c>retry-after-ms</c>) of the forwarded error response.</summary>
    public string? RetryAfter { get; set; }

    /// <summary>The tee installed on the response, if the upstream answered.</summary>
    public IDisposable? Tee { get; set; }

    /// <summary>Work still reading the side copy (decompression); awaited (or abandoned) before the call is finished.</summary>
    public IBackgroundObservation? BackgroundObservation { get; set; }

    /// <summary>The tee's end-of-stream record; the first report wins (a later dispose adds nothing).</summary>
    public void ReportStreamEnd(StreamEnd end) => Interlocked.CompareExchange(ref _streamEnd, end, null);

    public void Conclude(CallConclusion conclusion) => Conclusion ??= conclusion;

    /// <summary>True for the one caller that gets to finish the call.</summary>
    public bool TryMarkFinished() => Interlocked.Exchange(ref _finished, 1) == 0;
}
