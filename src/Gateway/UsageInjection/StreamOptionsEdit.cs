namespace Glassbox.Gateway.UsageInjection;

/// <summary>What <see cref="StreamOptionsInjector"/> decided about one request body.</summary>
internal enum StreamOptionsEdit
{
    /// <summary>Not a Chat stream, or the client asked for usage itself: the body is forwarded as it is.</summary>
    NotNeeded,

    /// <summary><c>"include_usage":true</c> was added with a minimal edit.</summary>
    Injected,

    /// <summary>The body could not be edited safely (duplicate keys, odd types): forwarded as it is.</summary>
    Unsafe,
}
