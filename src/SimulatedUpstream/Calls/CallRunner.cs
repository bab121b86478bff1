using Glassbox.SimulatedUpstream.Control;
using Glassbox.SimulatedUpstream.Dialects;
using Glassbox.SimulatedUpstream.Hostile;
using Glassbox.SimulatedUpstream.Streaming;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Glassbox.SimulatedUpstream.Calls;

/// <summary>
/// Runs one simulated call: counts it, checks auth, reads the plan, applies the headers delay and status faults,
/// then writes the JSON response or the event stream.
/// </summary>
internal sealed class CallRunner(SimulatorStats stats, IOptionsMonitor<SimulatorOptions> options, TimeProvider time)
{
    public async Task RunAsync(HttpContext http, SimulatedApi api)
    {
        var authPresent = api.Provider.HasKey(http.Request);
        stats.RequestStarted(authPresent);
        var state = new CallState();
        try
        {
            await RunCoreAsync(http, api, authPresent, state);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away (or we cut the connection): nothing left to write.
        }
        finally
        {
            stats.RequestEnded(
                state.ServerReset ? CallOutcome.Reset
                : http.RequestAborted.IsCancellationRequested ? CallOutcome.Aborted
                : CallOutcome.Completed);
        }
    }

    /// <summary>404 in the provider's error shape, for a method the simulator does not know.</summary>
    public Task NotFoundAsync(HttpContext http, Provider provider) => WriteErrorAsync(http, provider, 404, null, null);

    private async Task RunCoreAsync(HttpContext http, SimulatedApi api, bool authPresent, CallState state)
    {
        if (!authPresent)
        {
            await WriteErrorAsync(http, api.Provider, api.Provider.MissingKeyStatus, null, null);
            return;
        }

        SimRequest request;
        SimulationPlan plan;
        try
        {
            request = api.Interpret(http.Request, await SimRequest.ReadAsync(http.Request, http.RequestAborted));
            plan = PlanReader.Read(http.Request, options.CurrentValue, stats, time);
        }
        catch (FormatException e)
        {
            await WriteErrorAsync(http, api.Provider, 400, e.Message, null);
            return;
        }

        if (request.HasStreamOptions && http.Request.Headers.ContainsKey(ControlHeaders.RejectStreamOptions))
        {
            // As OpenAI-compatible hosts that predate stream_options answer it.
            await WriteErrorAsync(http, api.Provider, 400, "Unrecognized request argument supplied: stream_options", plan);
            return;
        }

        var call = new CallContext(http, request, plan, time, state);
        await call.DelayAsync(plan.HeadersDelayMs);
        if (plan.Fault == FaultKind.Status)
        {
            await WriteErrorAsync(http, api.Provider, plan.Status, null, plan);
            return;
        }

        if (plan.Hostile != HostileKind.None)
        {
            await HostileResponses.WriteAsync(call, api);
            return;
        }

        if (request.Stream && api.Generates)
            await StreamAsync(call, api);
        else
            await CompleteAsync(call, api);
    }

    private static async Task CompleteAsync(CallContext call, SimulatedApi api)
    {
        var plan = call.Plan;
        if (api.Generates)
        {
            if (plan.Fault == FaultKind.Reset)
            {
                await call.ResetAsync();
                return;
            }

            if (plan.Fault == FaultKind.Stall)
                await call.StallForeverAsync();
            var generation = plan.TimeToFirstTokenMs + (plan.DeltaGapMs * (plan.Deltas - 1)) + (plan.StallAfter is null ? 0 : plan.StallMs);
            await call.DelayAsync(generation);
        }

        var response = call.Http.Response;
        api.Provider.WriteHeaders(response, plan.Ids, 200, call.Time.GetUtcNow(), plan.HeadersDelayMs);
        response.ContentType = api.Provider.JsonContentType;
        await WriteBodyAsync(response, plan.Compression, api.CompleteBody(call), call.Aborted);
    }

    private static async Task StreamAsync(CallContext call, SimulatedApi api)
    {
        var response = call.Http.Response;
        call.Http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        api.Provider.WriteHeaders(response, call.Plan.Ids, 200, call.Time.GetUtcNow(), call.Plan.HeadersDelayMs);
        response.ContentType = api.StreamContentType(call.Http.Request);
        response.Headers.CacheControl = "no-cache";
        await using var body = ResponseBody.Open(response, call.Plan.Compression);
        await response.StartAsync(call.Aborted);
        var channel = new SseChannel(body, call, api.WriteErrorEventAsync, api.Framing(call.Http.Request));
        await api.StreamAsync(channel);
    }

    private async Task WriteErrorAsync(HttpContext http, Provider provider, int status, string? message, SimulationPlan? plan)
    {
        var ids = plan?.Ids ?? CallIds.Random();
        var response = http.Response;
        response.StatusCode = status;
        provider.WriteHeaders(response, ids, status, time.GetUtcNow(), plan?.HeadersDelayMs ?? 0);
        if (plan is not null)
        {
            if (plan.RetryAfter is not null)
                response.Headers.RetryAfter = plan.RetryAfter;
            if (plan.RetryAfterMs is not null)
                response.Headers["retry-after-ms"] = plan.RetryAfterMs;
            if (plan.ShouldRetry is not null)
                response.Headers["x-should-retry"] = plan.ShouldRetry;
        }

        response.ContentType = provider.JsonContentType;
        await WriteBodyAsync(response, plan?.Compression, provider.ErrorBody(status, message, ids, plan), http.RequestAborted);
    }

    private static async Task WriteBodyAsync(HttpResponse response, string? compression, byte[] json, CancellationToken cancellationToken)
    {
        if (compression is null)
            response.ContentLength = json.Length;
        await using var body = ResponseBody.Open(response, compression);
        await body.WriteAsync(json, cancellationToken);
        await body.FlushAsync(cancellationToken);
    }
}
