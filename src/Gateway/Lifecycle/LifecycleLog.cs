namespace Glassbox.Gateway.Lifecycle;

/// <summary>Source-generated log messages of the shutdown timeline.</summary>
internal static partial class LifecycleLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Information,
        Message = "Shutdown began: /readyz now answers 503; new requests accepted for {DrainDelaySeconds} s more, then calls in flight get {DrainTimeoutSeconds} s")]
    public static partial void ShutdownBegan(ILogger logger, double drainDelaySeconds, double drainTimeoutSeconds);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Listener closing; draining calls in flight for up to {DrainTimeoutSeconds} s")]
    public static partial void ListenerClosing(ILogger logger, double drainTimeoutSeconds);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Drain timeout of {DrainTimeoutSeconds} s reached; ending the calls still open (end reason shutdown)")]
    public static partial void DrainExpired(ILogger logger, double drainTimeoutSeconds);

    [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "Every request finished {ElapsedSeconds:0.###} s after shutdown began")]
    public static partial void Drained(ILogger logger, double elapsedSeconds);

    [LoggerMessage(EventId = 44, Level = LogLevel.Information, Message = "Telemetry flushed (complete: {Complete}) in {ElapsedMs:0.#} ms")]
    public static partial void TelemetryFlushed(ILogger logger, bool complete, double elapsedMs);
}
