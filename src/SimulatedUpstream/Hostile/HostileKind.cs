namespace Glassbox.SimulatedUpstream.Hostile;

/// <summary>A broken or hostile upstream behaviour picked with <c>x-sim-hostile</c> (see README.md).</summary>
public enum HostileKind
{
    None,

    /// <summary>200 with an HTML error page, as CDNs and load balancers send.</summary>
    Html200,

    /// <summary>Says <c>text/event-stream</c> but sends the dialect's whole JSON body.</summary>
    SseSaysJson,

    /// <summary>One SSE event of <c>x-sim-hostile-bytes</c> (default 10 MB), then the normal stream.</summary>
    HugeEvent,

    /// <summary><c>text/event-stream</c> with <c>x-sim-hostile-bytes</c> (default 100 MB) and no line break.</summary>
    NoNewline,

    /// <summary>A gzip body of a few MB that inflates to <c>x-sim-hostile-bytes</c> (default 1 GiB) of zeros.</summary>
    GzipBomb,

    /// <summary>The connection is closed before any response byte (raw listener and Kestrel).</summary>
    CloseBeforeHeaders,

    /// <summary><c>content-length</c> twice the body actually sent, then the connection closes.</summary>
    ShortBody,

    /// <summary>A status line that is not HTTP (raw listener only).</summary>
    MalformedStatus,

    /// <summary>A header line without a colon (raw listener only).</summary>
    MalformedHeaders,
}

public static class HostileKinds
{
    public static HostileKind Parse(string? value) => value switch
    {
        null or "" or "none" => HostileKind.None,
        "html-200" => HostileKind.Html200,
        "sse-json" => HostileKind.SseSaysJson,
        "huge-event" => HostileKind.HugeEvent,
        "no-newline" => HostileKind.NoNewline,
        "gzip-bomb" => HostileKind.GzipBomb,
        "close-before-headers" => HostileKind.CloseBeforeHeaders,
        "short-body" => HostileKind.ShortBody,
        "malformed-status" => HostileKind.MalformedStatus,
        "malformed-headers" => HostileKind.MalformedHeaders,
        _ => throw new FormatException(
            "x-sim-hostile must be html-200, sse-json, huge-event, no-newline, gzip-bomb, close-before-headers, short-body, malformed-status or malformed-headers."),
    };

    /// <summary>The default size of the hostile part of the body.</summary>
    public static long DefaultBytes(HostileKind kind) => kind switch
    {
        HostileKind.HugeEvent => 10L * 1024 * 1024,
        HostileKind.NoNewline => 100L * 1024 * 1024,
        HostileKind.GzipBomb => 1024L * 1024 * 1024,
        _ => 0,
    };

    /// <summary>Breakage below HTTP that Kestrel cannot produce; served by <see cref="RawHostileServer"/>.</summary>
    public static bool NeedsRawListener(HostileKind kind) => kind is HostileKind.MalformedStatus or HostileKind.MalformedHeaders;
}
