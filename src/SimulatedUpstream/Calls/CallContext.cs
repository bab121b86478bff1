using Glassbox.SimulatedUpstream.Control;

namespace Glassbox.SimulatedUpstream.Calls;

/// <summary>One simulated call: the HTTP exchange, the parsed request, the plan and the clock.</summary>
internal sealed class CallContext(HttpContext http, SimRequest request, SimulationPlan plan, TimeProvider time, CallState state)
{
    public HttpContext Http { get; } = http;
    public SimRequest Request { get; } = request;
    public SimulationPlan Plan { get; } = plan;
    public TimeProvider Time { get; } = time;
    public CallState State { get; } = state;
    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>
    /// A real delay on the injected clock, cancelled as soon as the client goes away, and never shorter than asked by
    /// that clock's timestamps: the runtime's timers run on a coarse clock (a few ms per tick on Linux) and can fire
    /// early by the high-resolution one a gateway measures with (a planned 250 ms first token was seen at 248.7 ms).
    /// </summary>
    public async Task DelayAsync(int milliseconds)
    {
        var due = TimeSpan.FromMilliseconds(milliseconds);
        var started = Time.GetTimestamp();
        for (var left = due; left > TimeSpan.Zero; left = due - Time.GetElapsedTime(started))
        {
            // Whole milliseconds, at least one: a shorter wait would complete at once and spin.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds)), Time, Aborted);
        }
    }

    /// <summary>Silence until the client goes away (throws <see cref="OperationCanceledException"/> then).</summary>
    public Task StallForeverAsync() => Task.Delay(Timeout.InfiniteTimeSpan, Time, Aborted);

    /// <summary>
    /// Cuts the connection without ending the response. Waits <see cref="ResetLingerMs"/> first: a TCP reset makes the
    /// peer drop bytes it received but has not read yet, and the bytes already sent must reach the client.
    /// </summary>
    public async Task ResetAsync()
    {
        State.ServerReset = true;
        await DelayAsync(ResetLingerMs);
        Http.Abort();
    }

    // Generous: on a loaded machine the peer may take a while to read what was sent (a gateway does not retry a request the upstream had).
    public const int ResetLingerMs = 300;
}
