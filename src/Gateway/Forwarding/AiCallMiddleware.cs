using Glassbox.Gateway.Calls;
using Glassbox.Gateway.Configuration;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Requests;
using Glassbox.Gateway.Resilience;
using Glassbox.Gateway.Telemetry;
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
    IOptions<GlassboxOptions> options,
    ILogger<AiCallMiddleware> logger)
{
    private static readonly TimeSpan ObservationGrace = TimeSpan.FromSeconds(5);
    private readonly GlassboxOptions _options = options.Value;

    public async Task InvokeAsync(HttpContext context)
    {
        var route = routes.Find(context.GetReverseProxyFeature().Route.Config.RouteId);
        if (route is null || route.Dialect == ApiDialect.None)
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
        var facts = body is null ? null : RequestFactsReader.TryRead(body.Span, route.Dialect, telemetry.CaptureContent);
        var call = new AiCall(route, facts ?? new RequestFacts(), start, startUtc) { BodyReceivedTimestamp = received, RequestReadTimestamp = time.GetTimestamp() };
        telemetry.Start(call, context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpActivityFeature>()?.Activity);
        var tracker = new AttemptTracker(instrumentation, phaseSpans, call);
        try
        {
            if (body is null)
            {
                GatewayLog.BodyTooLarge(logger, route.Path, _options.MaxRequestBodyBytes);
                await AnswerAsync(context, call, StatusCodes.Status413PayloadTooLarge, GatewayErrorKind.RequestTooLarge, ErrorTypes.RequestTooLarge,
                    $"Request body exceeds the gateway's limit of {_options.MaxRequestBodyBytes} bytes.");
                return;
            }

            if (facts is null && !_options.ForwardInvalidJson)
            {
                GatewayLog.InvalidJson(logger, route.Path);
                await AnswerAsync(context, call, StatusCodes.Status400BadRequest, GatewayErrorKind.InvalidRequest, ErrorTypes.InvalidRequest,
                    "Request body is not a valid JSON object.");
                return;
            }

            await ForwardWithRetriesAsync(context, call, body, tracker);
        }
        catch (OperationCanceledException exception) when (call.ClientAborted.IsCancellationRequested || context.RequestAborted.IsCancellationRequested)
        {
            // The caller left (e.g. during a retry backoff): nothing to answer, nothing unhandled to log.
            call.Exception ??= exception;
            call.EndReason = CallEndReason.ClientDisconnected;
        }
        catch (Exception exception)
        {
            call.Exception ??= exception;
            call.EndReason = context.RequestAborted.IsCancellationRequested ? CallEndReason.ClientDisconnected : CallEndReason.GatewayError;
            throw;
        }
        finally
        {
            tracker.Complete();
            call.Tee?.Dispose();
            await WaitForObservationAsync(call);
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
                await DialectErrorWriter.WriteAsync(context, route.Dialect, exception.StatusCode, GatewayErrorKind.InvalidRequest, "The request body could not be read: " + exception.Message);
            }

            return null;
        }
    }

    private async Task ForwardWithRetriesAsync(HttpContext context, AiCall call, BufferedRequestBody body, AttemptTracker tracker)
    {
        var upstream = call.Route.Upstream;
        using var total = new CancellationTokenSource(upstream.Timeouts.Total, time);
        call.ClientAborted = context.RequestAborted;
        call.TotalTimeout = total.Token;
        context.Features.Set(call);

        var state = new AttemptState(this, context, call, body, tracker, total);
        var resilience = ResilienceContextPool.Shared.Get(context.RequestAborted);
        resilience.Properties.Set(UpstreamPipelines.TrackerKey, tracker);
        try
        {
            await pipelines.For(call.Route.UpstreamName).ExecuteAsync(
                static (_, s) => s.Middleware.AttemptAsync(s), resilience, state);
        }
        catch (BrokenCircuitException)
        {
            call.Activity?.AddEvent(new System.Diagnostics.ActivityEvent("circuit_open"));
            await AnswerAsync(context, call, StatusCodes.Status503ServiceUnavailable, GatewayErrorKind.Overloaded, ErrorTypes.UpstreamUnreachable,
                $"The upstream '{call.Route.UpstreamName}' is failing; the gateway's circuit breaker is open. Try again shortly.");
            return;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }

        await ConcludeAsync(context, call, total);
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
            call.SuppressedForRetry = false;
            call.SuppressedRetryAfter = null;
            call.StatusCode = null;
            call.HeadersTimestamp = null;
        }

        call.CanRetry = s.Tracker.Number <= call.Route.Upstream.Retry.MaxRetries;
        var phases = new AttemptPhases(time.GetTimestamp());
        call.CurrentPhases = phases;
        call.FirstAttemptTimestamp ??= phases.Started;
        using var headersTimer = new CancellationTokenSource(call.Route.Upstream.Timeouts.Headers, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(call.ClientAborted, s.Total.Token, headersTimer.Token);
        call.HeadersTimer = headersTimer;
        context.RequestAborted = linked.Token;
        s.Body.Rewind(context.Request, sent => phases.RequestSent = sent, time);
        try
        {
            await next(context);
        }
        finally
        {
            context.RequestAborted = call.ClientAborted;
            call.HeadersTimer = null;
        }

        var outcome = Evaluate(context, call, headersTimer);
        s.Tracker.EndAttempt(outcome, call.StatusCode, phases);
        return outcome;
    }

    private static AttemptOutcome Evaluate(HttpContext context, AiCall call, CancellationTokenSource headersTimer)
    {
        if (call.SuppressedForRetry)
        {
            var status = call.StatusCode!.Value;
            return new AttemptOutcome(Retryable: true, Failure: status >= 500, RetryDecision.StatusReason(status), call.SuppressedRetryAfter);
        }

        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is not null && !context.Response.HasStarted && !call.ClientAborted.IsCancellationRequested && !call.TotalTimeout.IsCancellationRequested)
        {
            if (headersTimer.IsCancellationRequested && call.HeadersTimestamp is null)
            {
                return new AttemptOutcome(Retryable: true, Failure: true, "headers_timeout", null);
            }

            if (error.Error is ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.NoAvailableDestinations)
            {
                return new AttemptOutcome(Retryable: true, Failure: true, "connection_failure", null);
            }
        }

        return call.StatusCode is >= 500 ? new AttemptOutcome(false, true, RetryDecision.StatusReason(call.StatusCode.Value), null) : AttemptOutcome.Success;
    }

    /// <summary>Reads YARP's verdict on the final attempt, records why the call ended and answers for the gateway when nothing was forwarded.</summary>
    private async Task ConcludeAsync(HttpContext context, AiCall call, CancellationTokenSource total)
    {
        var error = context.Features.Get<IForwarderErrorFeature>();
        if (call.ClientAborted.IsCancellationRequested && !call.BodyEnded)
        {
            call.EndReason = CallEndReason.ClientDisconnected;
            call.Exception ??= error?.Exception;
            return;
        }

        if (error is null)
        {
            return;
        }

        call.Exception ??= error.Exception;
        if (total.IsCancellationRequested)
        {
            call.TimeoutKind = "total";
            await AnswerAsync(context, call, StatusCodes.Status504GatewayTimeout, GatewayErrorKind.Timeout, ErrorTypes.Timeout,
                $"The call exceeded the gateway's overall timeout of {call.Route.Upstream.Timeouts.Total.TotalSeconds:0.#} s.");
            return;
        }

        switch (error.Error)
        {
            case ForwarderError.RequestCanceled or ForwarderError.RequestTimedOut when call.HeadersTimestamp is null:
                call.TimeoutKind = "response_headers";
                await AnswerAsync(context, call, StatusCodes.Status504GatewayTimeout, GatewayErrorKind.Timeout, ErrorTypes.Timeout,
                    $"The upstream '{call.Route.UpstreamName}' sent no response headers within {call.Route.Upstream.Timeouts.Headers.TotalSeconds:0.#} s.");
                break;
            case ForwarderError.Request or ForwarderError.RequestCreation or ForwarderError.NoAvailableDestinations:
                await AnswerAsync(context, call, StatusCodes.Status502BadGateway, GatewayErrorKind.UpstreamUnreachable, ErrorTypes.UpstreamUnreachable,
                    $"The gateway could not reach the upstream '{call.Route.UpstreamName}': {Describe(error.Exception)}.");
                break;
            case ForwarderError.ResponseBodyClient:
                call.EndReason = CallEndReason.UpstreamInterrupted;
                break;
            default:
                if (call.EndReason == CallEndReason.Completed)
                {
                    call.EndReason = CallEndReason.GatewayError;
                }

                break;
        }
    }

    private async Task AnswerAsync(HttpContext context, AiCall call, int status, GatewayErrorKind kind, string errorType, string message)
    {
        call.StatusCode = status;
        call.EndReason = kind == GatewayErrorKind.Timeout ? CallEndReason.Timeout : CallEndReason.GatewayError;
        call.GatewayErrorType = errorType;
        call.GatewayErrorMessage = message;
        if (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await DialectErrorWriter.WriteAsync(context, call.Route.Dialect, status, kind, message);
        }

        call.EndTimestamp = time.GetTimestamp();
    }

    private static string Describe(Exception? exception) => exception switch
    {
        null => "no response",
        HttpRequestException { InnerException: System.Net.Sockets.SocketException socket } => socket.SocketErrorCode switch
        {
            System.Net.Sockets.SocketError.ConnectionRefused => "connection refused",
            System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData or System.Net.Sockets.SocketError.TryAgain => "host name could not be resolved",
            System.Net.Sockets.SocketError.TimedOut => "connect timed out",
            _ => socket.SocketErrorCode.ToString(),
        },
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "host name could not be resolved",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "connection failed",
        HttpRequestException http => http.HttpRequestError.ToString(),
        _ => exception.GetType().Name,
    };

    private static async Task WaitForObservationAsync(AiCall call)
    {
        try
        {
            await call.ObservationCompleted.WaitAsync(ObservationGrace);
        }
        catch (TimeoutException)
        {
            call.Response.RecordProblem("side-copy decoding did not finish in time");
        }
    }

    private sealed record AttemptState(AiCallMiddleware Middleware, HttpContext Context, AiCall Call, BufferedRequestBody Body, AttemptTracker Tracker, CancellationTokenSource Total);
}
