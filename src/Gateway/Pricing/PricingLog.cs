namespace Glassbox.Gateway.Pricing;

internal static partial class PricingLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Price file {Path} loaded: {Entries} model prices")]
    public static partial void FileLoaded(ILogger logger, string path, int entries);

    [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "Price file {Path} not used, {Problem}; keeping the prices in use")]
    public static partial void FileRejected(ILogger logger, string path, string problem);
}
