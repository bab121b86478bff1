namespace Glassbox.SimulatedUpstream.Calls;

/// <summary>Mutable facts of one call, read by the runner when it ends.</summary>
internal sealed class CallState
{
    /// <summary>The simulator aborted the connection itself (<c>reset</c> fault).</summary>
    public bool ServerReset { get; set; }
}
