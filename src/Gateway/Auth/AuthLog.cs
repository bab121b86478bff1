namespace Glassbox.Gateway.Auth;

/// <summary>Log messages of inbound authentication. None carries a key.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Gateway keys file {Path} loaded: {Count} keys")]
    public static partial void KeysLoaded(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Gateway keys file {Path} not reloaded, the previous keys stay in force: {Problem}")]
    public static partial void KeysFileRejected(ILogger logger, string path, string problem);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning,
        Message = "Glassbox:Auth:AllowAnonymousKeyInjection is on: the gateway listens on {Urls} with no inbound keys and adds the configured key of {Upstreams} to any caller that sends none")]
    public static partial void AnonymousKeyInjection(ILogger logger, string urls, string upstreams);
}
