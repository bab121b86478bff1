using System.Diagnostics;
using Glassbox.Gateway.Calls;
using static Glassbox.Gateway.Telemetry.TelemetryNames;

namespace Glassbox.Gateway.Telemetry;

/// <summary>
/// Draws the anatomy of a call as child spans with their real start and end times, from the
/// timestamps recorded where each phase happened. Nothing here measures anything.
/// </summary>
internal sealed class PhaseSpans(ActivitySource source, TimeProvider time)
{
    private static readonly TimeSpan NoticeableQueueing = TimeSpan.FromMilliseconds(1);

    public void ReadRequest(Activity call, AiCall facts) =>
        Draw(call, Own.SpanReadRequest, facts, facts.StartTimestamp, facts.RequestReadTimestamp);

    public void Attempt(Activity attempt, AiCall call, AttemptPhases phases)
    {
        attempt.Put(Own.ConnectionReused, phases.ReusedConnection);
        if (!phases.ReusedConnection)
        {
            var opening = phases.DnsStarted ?? phases.ConnectStarted!.Value;
            if (time.GetElapsedTime(phases.Started, opening) >= NoticeableQueueing)
            {
                Draw(attempt, Own.SpanWaitConnection, call, phases.Started, opening);
            }

            Draw(attempt, Own.SpanDns, call, phases.DnsStarted, phases.DnsEnded);
            Draw(attempt, Own.SpanConnect, call, phases.ConnectStarted, phases.ConnectEnded);
            if (phases.Tls)
            {
                Draw(attempt, Own.SpanTls, call, phases.ConnectEnded, phases.ConnectionReady);
            }
        }

        var sendFrom = phases.ConnectionReady ?? phases.ConnectEnded ?? phases.Started;
        Draw(attempt, Own.SpanSendRequest, call, sendFrom, phases.RequestSent);
        Draw(attempt, Own.SpanWaitHeaders, call, phases.RequestSent ?? sendFrom, phases.HeadersReceived);
    }

    public void Stream(Activity attempt, AiCall call)
    {
        var facts = call.Response;
        if (facts.FirstContentTimestamp is not { } first)
        {
            return;
        }

        Draw(attempt, Own.SpanTimeToFirstToken, call, call.HeadersTimestamp, first);
        Draw(attempt, Own.SpanGeneration, call, first, facts.LastContentTimestamp);
        Draw(attempt, Own.SpanStreamTail, call, facts.LastContentTimestamp, call.EndTimestamp);
    }

    private void Draw(Activity parent, string name, AiCall call, long? start, long? end)
    {
        if (start is not { } from || end is not { } to || to < from)
        {
            return;
        }

        var previous = Activity.Current;
        var span = source.StartActivity(name, ActivityKind.Internal, parent.Context, startTime: At(call, from));
        if (span is not null)
        {
            span.SetEndTime(At(call, to).UtcDateTime);
            span.Stop();
        }

        Activity.Current = previous;
    }

    public DateTimeOffset At(AiCall call, long timestamp) => call.StartUtc + time.GetElapsedTime(call.StartTimestamp, timestamp);
}
