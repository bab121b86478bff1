using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// Keeps every ended span an exporter would export (sampled, <see cref="Activity.Recorded"/>); safe to
/// read while the gateway is still exporting.
/// </summary>
internal sealed class SpanCollector : BaseProcessor<Activity>
{
    public ConcurrentQueue<Activity> Ended { get; } = new();

    public override void OnEnd(Activity data)
    {
        if (data.Recorded)
        {
            Ended.Enqueue(data);
        }
    }
}
