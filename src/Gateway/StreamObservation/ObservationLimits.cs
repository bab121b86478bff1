namespace Glassbox.Gateway.StreamObservation;

/// <summary>
/// What the side copy of one response may hold or do, whatever the upstream sends (README, "Bounded
/// memory"). Past a limit the observer stops understanding that part, records
/// <c>glassbox.observation_problem</c>, and the bytes keep flowing to the client unchanged.
/// </summary>
internal static class ObservationLimits
{
    /// <summary>
    /// Default of <c>Glassbox:MaxObservedBodyBytes</c>: the largest JSON document parsed, a whole
    /// non-streaming body or the data of one SSE event (a line is buffered at most this long too).
    /// </summary>
    public const int DefaultMaxDocumentBytes = 4 * 1024 * 1024;

    /// <summary>Smallest accepted <c>Glassbox:MaxObservedBodyBytes</c>.</summary>
    public const int MinDocumentBytes = 1024;

    /// <summary>
    /// Decoded bytes one compressed body may produce, as a multiple of the document cap (default 4 MB ×
    /// 64 = 256 MB): a gzip bomb stops being inflated there, so it costs bounded CPU, never memory.
    /// </summary>
    public const int InflationFactor = 64;

    /// <summary>
    /// Compressed bytes that may wait for the decoder, as a multiple of the document cap: a decoder
    /// slower than the network gives up instead of queueing the body.
    /// </summary>
    public const int DecoderBacklogFactor = 1;
}
