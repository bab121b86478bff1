using Glassbox.Gateway.Calls;
using Glassbox.Gateway.Configuration;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Requests;
using Glassbox.Gateway.Resilience;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.Telemetry;
using Glassbox.Gateway.Telemetry.Cardinality;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;
using static Glassbox.Gateway.Telemetry.TelemetryNames;

namespace Glassbox.Gateway.Forwarding;

/// <summary>
/// Runs in YARP's proxy pipeline for AI routes: buffers and reads the request once, starts the
/// call span, runs the attempt loop (Polly) around the rest of the pipeline, and finishes the
/// call exactly once whatever happened.
/// </summary>
internal sealed class AiCallMiddleware(
    RequestDelegate next,
    RouteTable routes,
    UpstreamPipelines pipelines,
    CallTelemetry telemetry,
    GatewayInstrumentation instrumentation,
    PhaseSpans phaseSpans,
    TimeProvider time,
    Attribution.AttributionReader attribution,
    DimensionLimits dimensions,
    UsageInjection.UsageInjector usageInjector,
    IOptions<GlassboxOptions> options,
    Lifecycle.DrainCoordinator drain,
    ILogger<AiCallMiddleware> logger)
{
    private static readonly TimeSpan ObservationGrace = TimeSpan.FromSeconds(5);
    private readonly GlassboxOptions _options = options.Value;

    public async Task InvokeAsync(HttpContext context)
    {
        var route = routes.Find(context.GetReverseProxyFeature().Route.Config.RouteId);
        if (route?.Dialect is not { } dialect)
        {
            await next(context);
            return;
        }

        var startUtc = time.GetUtcNow();
        var start = time.GetTimestamp();
        using var body = await ReadBodyAsync(context, route);
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away mid-upload, or sent a body Kestrel rejected: already answered
        }

        var received = time.GetTimestamp();
        var facts = body is null ? null : dialect.ReadRequest(body.Span, context.Request.Path.Value ?? "", telemetry.CaptureContent);
        var call = new AiCall(route, facts ?? new RequestFacts(), start, startUtc)
        {
            BodyReceivedTimestamp = received,
            RequestReadTimestamp = time.GetTimestamp(),
            ClientAborted = context.RequestAborted,
            Attribution = attribution.Read(context.Request, Auth.InboundKeyLocations.Find(context.Request, route.Family),
                context.Features.Get<Auth.GatewayKeyFeature>()?.KeyId),
            ClientAddress = Ingress.ClientAddressFeature.Of(context),
            MetricModel = dimensions.For(GenAI.RequestModel).Apply(facts?.Model),
            UsageInjection = body is not null && facts is not null ? usageInjector.Decide(route, facts, body) : null,
        };
        telemetry.Start(call, context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpActivityFeature>()?.Activity);
        var tracker = new AttemptTracker(instrumentation, phaseSpans, call);
        var run = new CallRun();
        try
        {
            if (body is null)
            {
                GatewayLog.BodyTooLarge(logger, route.Path, _options.MaxRequestBodyBytes);
                run.Rejection = new GatewayAnswer(StatusCodes.Status413PayloadTooLarge, GatewayErrorKind.RequestTooLarge, ErrorTypes.RequestTooLarge,
                    $"Request body exceeds the gateway's limit of {_options.MaxRequestBodyBytes} bytes.");
            }
            else if (facts is null && !_options.ForwardInvalidJson)
            {
                GatewayLog.InvalidJson(logger, route.Path);
                run.Rejection = new GatewayAnswer(StatusCodes.Status400BadRequest, GatewayErrorKind.InvalidRequest, ErrorTypes.InvalidRequest,
                    "Request body is not a valid JSON object.");
            }
            else
            {
                await ForwardWithRetriesAsync(context, call, body, tracker, run);
            }
        }
        catch (OperationCanceledException) when (call.ClientAborted.IsCancellationRequested)
        {
            // The caller left (e.g. during a retry backoff): nothing to answer, nothing unhandled to log.
        }
        catch (Exception exception)
        {
            run.Unhandled = exception;
            throw;
        }
        finally
        {
            await FinishAsync(context, call, tracker, run);
        }
    }

    /// <summary>Decides how the call ended (once, from what the run collected), answers for the gateway when nothing was forwarded, and emits telemetry.</summary>
    private async Task FinishAsync(HttpContext context, AiCall call, AttemptTracker tracker, CallRun run)
    {
        try
        {
            tracker.Complete();
            call.Tee?.Dispose();
            await WaitForObservationAsync(call);
            var conclusion = CallEnding.Decide(new CallEndInput(
                call.Route.UpstreamName, call.Route.Upstream.Timeouts, call.Request.Stream, ProviderVerdict.Of(call.Response, call.Dialect),
                run.Rejection, run.LastAttempt, call.ClientAborted.IsCancellationRequested, run.TotalTimedOutInBackoff, run.Unhandled, run.DrainExpiredInBackoff));
            call.Conclude(conclusion);
            if (conclusion.Answer is { } answer && !context.Response.HasStarted && run.Unhandled is null)
            {
                context.Response.Clear();
                await DialectErrorWriter.WriteAsync(context, call.Dialect, answer.Status, answer.Kind, answer.Message);
                call.AnsweredTimestamp = time.GetTimestamp();
            }
        }
        finally
        {
            telemetry.Finish(call);
        }
    }

    /// <summary>
    /// Buffers the request body. A client that leaves mid-upload gets nothing; a body Kestrel rejects
    /// (bad chunked framing, too slow) gets 400 in the caller's dialect. Null means too large, or answered.
    /// </summary>
    private async Task<BufferedRequestBody?> ReadBodyAsync(HttpContext context, AiRoute route)
    {
        try
        {
            return await BufferedRequestBody.ReadAsync(context.Request, _options.MaxRequestBodyBytes, context.RequestAborted);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ConnectionResetException
            && context.RequestAborted.IsCancellationRequested)
        {
            return null;
        }
        catch (BadHttpRequestException exception)
        {
            if (!context.Response.HasStarted)
            {
                await DialectErrorWriter.WriteAsync(context, route.ErrorDialect, exception.StatusCode, GatewayErrorKind.InvalidRequest, "The request body could not be read: " + exception.Message);
            }

            return null;
        }
    }

    private async Task ForwardWithRetriesAsync(HttpContext context, AiCall call, BufferedRequestBody body, AttemptTracker tracker, CallRun run)
    {
        var upstream = call.Route.Upstream;
        using var total = new CancellationTokenSource(upstream.Timeouts.Total, time);
        // The total timeout covers the backoff waits too: Polly's delays run on this token.
        // ... and so does the drain on shutdown: no new attempt starts once it ran out.
        using var callToken = CancellationTokenSource.CreateLinkedTokenSource(call.ClientAborted, total.Token, drain.DrainExpired);
        call.TotalTimeout = total.Token;
        call.DrainExpired = drain.DrainExpired;
        context.Features.Set(call);

        var state = new AttemptState(this, context, call, body, tracker, total, run);
        try
        {
            await RunPipelineAsync(state, callToken.Token);
            if (run.LastAttempt is { UsageInjectionRejected: true } && call.UsageInjection is { } injection)
            {
                // The upstream said 400 to the injected body: the client's own body decides whether the injection was why.
                injection.Withdraw();
                tracker.OnRetry(TimeSpan.Zero, UsageInjection.UsageInjector.RetryReason);
                await RunPipelineAsync(state, callToken.Token);
                if (run.LastAttempt is { Status: not null and not StatusCodes.Status400BadRequest })
                {
                    usageInjector.RefusedBy(call.Route.UpstreamName);
                }
            }
        }
        catch (BrokenCircuitException)
        {
            call.Activity?.AddEvent(new System.Diagnostics.ActivityEvent("circuit_open"));
            run.Rejection = new GatewayAnswer(StatusCodes.Status503ServiceUnavailable, GatewayErrorKind.Overloaded, ErrorTypes.UpstreamUnreachable,
                $"The upstream '{call.Route.UpstreamName}' is failing; the gateway's circuit breaker is open. Try again shortly.");
        }
        catch (OperationCanceledException) when (total.IsCancellationRequested && !call.ClientAborted.IsCancellationRequested)
        {
            run.TotalTimedOutInBackoff = true; // the cap fired while waiting to retry: the held-back answer never reached the client
        }
        catch (OperationCanceledException) when (call.DrainExpired.IsCancellationRequested && !call.ClientAborted.IsCancellationRequested)
        {
            run.DrainExpiredInBackoff = true;
        }
    }

    /// <summary>One run of the upstream's retry and circuit-breaker pipeline over the attempt.</summary>
    private async Task RunPipelineAsync(AttemptState state, CancellationToken cancellationToken)
    {
        var resilience = ResilienceContextPool.Shared.Get(cancellationToken);
        resilience.Properties.Set(UpstreamPipelines.TrackerKey, state.Tracker);
        try
        {
            await pipelines.For(state.Call.Route.UpstreamName).ExecuteAsync(static (_, s) => s.Middleware.AttemptAsync(s), resilience, state);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }
    }

    private async ValueTask<AttemptOutcome> AttemptAsync(AttemptState s)
    {
        var (context, call) = (s.Context, s.Call);
        s.Tracker.BeginAttempt();
        if (s.Tracker.Number > 1)
        {
            // The previous answer was held back, so nothing has been sent: start from a clean response.
            context.Response.Clear();
            context.Features.Set<IForwarderErrorFeature>(null);
        }

        var phases = new AttemptPhases(time.GetTimestamp());
        using var headersTimer = new CancellationTokenSource(call.Route.Upstream.Timeouts.Headers, time);
        var attempt = new UpstreamAttempt(s.Tracker.Number, s.Tracker.Number <= call.Route.Upstream.Retry.MaxRetries, phases, headersTimer);
        call.CurrentAttempt = attempt;
        call.FirstAttemptTimestamp ??= phases.Started;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(call.ClientAborted, s.Total.Token, headersTimer.Token);
        // A drain that runs out while headers are awaited ends the wait like a headers timeout; once the response
        // streams, the tee ends it instead (cancelling the forwarder would also stop the client's error event).
        using var drainWait = call.DrainExpired.Register(static state =>
        {
            var waiting = (UpstreamAttempt)state!;
            if (waiting.Status is null)
            {
                waiting.HeadersTimer.Cancel();
            }
        }, attempt);
        context.RequestAborted = linked.Token;
        (call.UsageInjection?.EditedBody ?? s.Body).Rewind(context.Request, started => phases.RequestStarted = started, sent => phases.RequestSent = sent, time);
        try
        {
            await next(context);
        }
        finally
        {
            context.RequestAborted = call.ClientAborted;
        }

        var result = Result(context, call, attempt, s.Total);
        s.Run.LastAttempt = result;
        var outcome = RetryDecision.Evaluate(result);
        s.Tracker.EndAttempt(outcome, result, phases);
        return outcome;
    }

    /// <summary>Reads the attempt's facts once, when it is over, into an immutable result.</summary>
    private static AttemptResult Result(HttpContext context, AiCall call, UpstreamAttempt attempt, CancellationTokenSource total)
    {
        var error = context.Features.Get<IForwarderErrorFeature>();
        var timeout = total.IsCancellationRequested ? AttemptTimeout.Total
            : call.DrainExpired.IsCancellationRequested && attempt.Status is null ? AttemptTimeout.Shutdown
            : attempt.HeadersTimer.IsCancellationRequested && attempt.Status is null ? AttemptTimeout.Headers
            : AttemptTimeout.None;
        return new AttemptResult(
            attempt.Number, attempt.Status, attempt.HeldBack, attempt.RetryAfter,
            error?.Error ?? ForwarderError.None, error?.Exception,
            RequestStarted: attempt.Phases.RequestStarted is not null,
            ResponseStarted: context.Response.HasStarted,
            timeout,
            call.ClientAborted.IsCancellationRequested,
            attempt.HeldBack ? null : call.StreamEnd,
            attempt.UsageInjectionRejected);
    }

    /// <summary>
    /// Gives the side-copy decoder a grace period on the gateway's clock; past it the decoder is abandoned,
    /// so nothing writes the call's facts while its telemetry is being written.
    /// </summary>
    private async Task WaitForObservationAsync(AiCall call)
    {
        if (call.BackgroundObservation is not { } background)
        {
            return;
        }

        try
        {
            await background.Completion.WaitAsync(ObservationGrace, time);
        }
        catch (TimeoutException)
        {
            background.Abandon();
            call.Response.RecordObserverFailure(ObserverFailures.DecodeTimeout, "side-copy decoding did not finish in time");
        }
    }

    private sealed record AttemptState(AiCallMiddleware Middleware, HttpContext Context, AiCall Call, BufferedRequestBody Body, AttemptTracker Tracker, CancellationTokenSource Total, CallRun Run);

    /// <summary>What the run of one call collected for the end-of-call decision; each field written in one place.</summary>
    private sealed class CallRun
    {
        public GatewayAnswer? Rejection { get; set; }
        public AttemptResult? LastAttempt { get; set; }
        public bool TotalTimedOutInBackoff { get; set; }
        public bool DrainExpiredInBackoff { get; set; }
        public Exception? Unhandled { get; set; }
    }
}
