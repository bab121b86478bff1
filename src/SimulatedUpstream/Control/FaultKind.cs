namespace Glassbox.SimulatedUpstream.Control;

internal enum FaultKind
{
    None,

    /// <summary>An HTTP error status with the dialect's error body, instead of a response.</summary>
    Status,

    /// <summary>After N deltas, the dialect's in-stream error event, then the end of the stream.</summary>
    ErrorEvent,

    /// <summary>After N deltas, the connection is aborted.</summary>
    Reset,

    /// <summary>After N deltas, silence until the client goes away.</summary>
    Stall,
}
