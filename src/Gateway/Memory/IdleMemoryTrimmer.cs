using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Memory;

/// <summary>
/// Returns the heap's unused memory to the system when the gateway is quiet. The collector keeps what a burst made it
/// commit until it collects again, and a quiet process does not collect: a sidecar would hold its peak for as long as
/// its pod is idle. Also trims once after start-up, whose configuration and set-up garbage is never needed again.
/// </summary>
internal sealed partial class IdleMemoryTrimmer(
    IManagedHeap heap,
    IOptions<MemoryOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    public const int ChecksPerPeriod = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = options.Value.IdleTrimAfter;
        if (period == TimeSpan.Zero)
        {
            return;
        }

        if (!await StartedAsync(stoppingToken))
        {
            return;
        }

        var started = time.GetTimestamp();
        var periods = new IdlePeriods(period, heap.Gen0Collections, TimeSpan.Zero);
        Trim(periods, "start-up");
        // Looking five times a period puts the trim between one and 1.2 periods after the last collection.
        using var timer = new PeriodicTimer(period / ChecksPerPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (periods.ShouldTrim(heap.Gen0Collections, time.GetElapsedTime(started)))
                {
                    Trim(periods, "idle");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Trim(IdlePeriods periods, string reason)
    {
        heap.CollectAndRelease();
        periods.Trimmed(heap.Gen0Collections);
        Trimmed(logger, reason, heap.CommittedBytes / 1048576.0, Environment.WorkingSet / 1048576.0);
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Debug, Message = "Heap trimmed ({Reason}): {CommittedMiB:0.0} MiB committed, process working set {WorkingSetMiB:0.0} MiB")]
    private static partial void Trimmed(ILogger logger, string reason, double committedMiB, double workingSetMiB);
}
