using System.Text;
using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Control;

namespace Glassbox.SimulatedUpstream.Streaming;

/// <summary>
/// Writes server-sent events, each flushed to the wire at once, and applies the plan around content deltas:
/// time to first token, gaps, the mid-stream pause, and the in-stream faults (error event, reset, stall).
/// </summary>
internal sealed class SseChannel(Stream body, CallContext call, Func<SseChannel, Task> writeErrorEvent)
{
    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private bool _faultFired;

    public CallContext Call => call;

    /// <summary>Events written so far; the next event's Responses <c>sequence_number</c>.</summary>
    public int EventsWritten { get; private set; }

    /// <summary>Content deltas written so far.</summary>
    public int DeltasWritten { get; private set; }

    /// <summary>Writes <c>event: name\n</c> (when named) <c>data: json\n\n</c> and flushes.</summary>
    public async Task WriteEventAsync(string? eventName, byte[] json)
    {
        var nameLength = eventName is null ? 0 : EventPrefix.Length + Encoding.UTF8.GetByteCount(eventName) + 1;
        var frame = new byte[nameLength + DataPrefix.Length + json.Length + 2];
        var at = 0;
        if (eventName is not null)
        {
            EventPrefix.CopyTo(frame, at);
            at += EventPrefix.Length;
            at += Encoding.UTF8.GetBytes(eventName, frame.AsSpan(at));
            frame[at++] = (byte)'\n';
        }

        DataPrefix.CopyTo(frame, at);
        at += DataPrefix.Length;
        json.CopyTo(frame, at);
        at += json.Length;
        frame[at++] = (byte)'\n';
        frame[at] = (byte)'\n';
        await WriteAndFlushAsync(frame);
        EventsWritten++;
    }

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

    private async Task WriteAndFlushAsync(byte[] frame)
    {
        await body.WriteAsync(frame, call.Aborted);
        await body.FlushAsync(call.Aborted);
    }
}
