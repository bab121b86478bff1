using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Lifecycle;

/// <summary>
/// The shutdown timeline. Shutdown begins (SIGTERM, Ctrl+C, <see cref="IHostApplicationLifetime.StopApplication"/>):
/// <c>/readyz</c> turns 503 at once. New requests are still served for <see cref="ShutdownOptions.DrainDelay"/>;
/// then the listener closes and calls in flight get <see cref="ShutdownOptions.DrainTimeout"/> to finish, after which
/// <see cref="DrainExpired"/> fires and the calls still open are ended. Once every request is done the
/// telemetry is flushed, before the host exits.
/// </summary>
/// <remarks>
/// The host calls <see cref="StoppingAsync"/> before it stops any hosted service (Kestrel included), so delaying
/// there keeps the listener open; the host's shutdown timeout is set above delay + drain so it never cuts a drain short.
/// </remarks>
internal sealed class DrainCoordinator : IHostedLifecycleService, IDisposable
{
    private static readonly TimeSpan FlushTimeoutPerSignal = TimeSpan.FromSeconds(10);

    private readonly ShutdownOptions _options;
    private readonly TimeProvider _time;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _drainExpired;
    private readonly CancellationTokenRegistration _onStopping;
    private readonly CancellationTokenRegistration _onExpired;
    private long _shutdownBeganTimestamp;
    private volatile bool _accepting = true;

    public DrainCoordinator(IOptions<ShutdownOptions> options, IHostApplicationLifetime lifetime, TimeProvider time, IServiceProvider services, ILogger<DrainCoordinator> logger)
    {
        _options = options.Value;
        _time = time;
        _services = services;
        _logger = logger;
        _drainExpired = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _onStopping = lifetime.ApplicationStopping.Register(static state => ((DrainCoordinator)state!).BeginShutdown(), this);
        _onExpired = _drainExpired.Token.Register(static state => ((DrainCoordinator)state!).LogDrainExpired(), this);
    }

    /// <summary>False from the moment shutdown began: what <c>/readyz</c> reports.</summary>
    public bool IsAcceptingCalls => _accepting;

    /// <summary>Fires when the drain timeout has run out: calls still open are ended with end reason <c>shutdown</c>.</summary>
    public CancellationToken DrainExpired => _drainExpired.Token;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs before Kestrel stops: keeps the listener open for the drain delay.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        BeginShutdown();
        if (_options.DrainDelay > TimeSpan.Zero)
        {
            await Task.Delay(_options.DrainDelay, _time, cancellationToken).ConfigureAwait(false);
        }

        // From here Kestrel stops accepting and waits for the requests in flight; the drain timeout counts from now.
        _drainExpired.CancelAfter(_options.DrainTimeout);
        LifecycleLog.ListenerClosing(_logger, _options.DrainTimeout.TotalSeconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs after Kestrel has finished every request: nothing more will be recorded, so flush it all now.</summary>
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        var drained = _time.GetElapsedTime(Interlocked.Read(ref _shutdownBeganTimestamp));
        LifecycleLog.Drained(_logger, drained.TotalSeconds);
        var started = _time.GetTimestamp();
        var flushed = TelemetryFlush.ForceFlush(_services, FlushTimeoutPerSignal);
        LifecycleLog.TelemetryFlushed(_logger, flushed, _time.GetElapsedTime(started).TotalMilliseconds);
        // The flush log line itself goes out with the providers' shutdown when the host is disposed.
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _onStopping.Dispose();
        _onExpired.Dispose();
        _drainExpired.Dispose();
    }

    private void BeginShutdown()
    {
        if (Interlocked.CompareExchange(ref _shutdownBeganTimestamp, _time.GetTimestamp(), 0) != 0)
        {
            return;
        }

        _accepting = false;
        LifecycleLog.ShutdownBegan(_logger, _options.DrainDelay.TotalSeconds, _options.DrainTimeout.TotalSeconds);
    }

    private void LogDrainExpired() => LifecycleLog.DrainExpired(_logger, _options.DrainTimeout.TotalSeconds);
}
