namespace Glassbox.Gateway.Resilience;

internal static partial class ResilienceLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Circuit for upstream {Upstream} opened for {BreakSeconds} s: calls fail fast with 503")]
    public static partial void CircuitOpened(ILogger logger, string upstream, double breakSeconds);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Circuit for upstream {Upstream} half-open: trying one call")]
    public static partial void CircuitHalfOpened(ILogger logger, string upstream);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Circuit for upstream {Upstream} closed")]
    public static partial void CircuitClosed(ILogger logger, string upstream);
}
