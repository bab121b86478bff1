using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Control;

namespace Glassbox.SimulatedUpstream.Streaming;

/// <summary>
/// Writes stream events (server-sent events, or the elements of a streamed JSON array), each flushed to the wire
/// at once, and applies the plan around content deltas: time to first token, gaps, the mid-stream pause, and the
/// in-stream faults (error event, reset, stall).
/// </summary>
internal sealed class SseChannel(Stream body, CallContext call, Func<SseChannel, Task> writeErrorEvent, EventFraming framing)
{
    private bool _faultFired;

    public CallContext Call => call;

    /// <summary>Events written so far; the next event's Responses <c>sequence_number</c>.</summary>
    public int EventsWritten { get; private set; }

    /// <summary>Content deltas written so far.</summary>
    public int DeltasWritten { get; private set; }

    /// <summary>Writes one event as the stream frames it (e.g. <c>event: name\n</c> <c>data: json\n\n</c>) and flushes.</summary>
    public async Task WriteEventAsync(string? eventName, byte[] json)
    {
        await WriteAndFlushAsync(framing.Frame(eventName, json, EventsWritten));
        EventsWritten++;
    }

    /// <summary>Writes what closes a complete stream, if its framing has anything (a JSON array's <c>]</c>).</summary>
    public Task EndAsync() => framing.Closing.IsEmpty ? Task.CompletedTask : WriteAndFlushAsync(framing.Closing);

    /// <summary>Writes <c>data: [DONE]\n\n</c>.</summary>
    public Task WriteDoneAsync() => WriteAndFlushAsync("data: [DONE]\n\n"u8.ToArray());

    /// <summary>
    /// Paces and writes one content delta. Returns false when an in-stream fault fired instead:
    /// the caller must then stop writing.
    /// </summary>
    public async Task<bool> WriteDeltaAsync(string? eventName, byte[] json)
    {
        if (await FireFaultAsync(DeltasWritten == call.Plan.FaultAfter))
            return false;
        var wait = DeltasWritten == 0 ? call.Plan.TimeToFirstTokenMs : call.Plan.DeltaGapMs;
        if (call.Plan.StallAfter == DeltasWritten)
            wait += call.Plan.StallMs;
        await call.DelayAsync(wait);
        await WriteEventAsync(eventName, json);
        DeltasWritten++;
        return true;
    }

    /// <summary>
    /// Called after the last content delta, before the closing events: fires a fault planned for
    /// "after N deltas" with N ≥ the deltas written, and the pause planned right here. False means stop.
    /// </summary>
    public async Task<bool> EndOfContentAsync()
    {
        if (await FireFaultAsync(DeltasWritten <= call.Plan.FaultAfter))
            return false;
        if (call.Plan.StallAfter == DeltasWritten)
            await call.DelayAsync(call.Plan.StallMs);
        return true;
    }

    private async Task<bool> FireFaultAsync(bool due)
    {
        if (!due || _faultFired)
            return false;
        switch (call.Plan.Fault)
        {
            case FaultKind.ErrorEvent:
                _faultFired = true;
                await writeErrorEvent(this);
                return true;
            case FaultKind.Reset:
                _faultFired = true;
                await call.ResetAsync();
                return true;
            case FaultKind.Stall:
                _faultFired = true;
                await call.StallForeverAsync();
                return true;
            default:
                return false;
        }
    }

    private async Task WriteAndFlushAsync(ReadOnlyMemory<byte> frame)
    {
        await body.WriteAsync(frame, call.Aborted);
        await body.FlushAsync(call.Aborted);
    }
}
