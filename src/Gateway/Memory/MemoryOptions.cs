namespace Glassbox.Gateway.Memory;

/// <summary><c>Glassbox:Memory</c>: giving memory back to the system once the gateway is quiet.</summary>
public sealed class MemoryOptions
{
    public const string SectionName = "Glassbox:Memory";

    /// <summary>
    /// A quiet period this long (no garbage collection in it) ends with one compacting collection that returns the
    /// heap's unused memory; also run once right after start-up. 0 switches it off.
    /// </summary>
    public TimeSpan IdleTrimAfter { get; set; } = TimeSpan.FromSeconds(15);
}
