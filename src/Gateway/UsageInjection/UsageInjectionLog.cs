namespace Glassbox.Gateway.UsageInjection;

internal static partial class UsageInjectionLog
{
    [LoggerMessage(EventId = 50, Level = LogLevel.Warning,
        Message = "Upstream {Upstream} rejected stream_options.include_usage (400, accepted without it); no longer injecting usage for it")]
    public static partial void Disabled(ILogger logger, string upstream);
}
