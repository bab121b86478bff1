namespace Glassbox.Gateway.Memory;

/// <summary>What the idle trim reads from the runtime's heap and asks of it, behind an interface so that its decisions can be tested.</summary>
internal interface IManagedHeap
{
    /// <summary>Collections of generation 0 so far: it moves whenever the process allocates a few megabytes.</summary>
    int Gen0Collections { get; }

    /// <summary>Memory the heap holds from the system, in bytes.</summary>
    long CommittedBytes { get; }

    /// <summary>A blocking, compacting collection of every generation that decommits what it frees.</summary>
    void CollectAndRelease();
}

internal sealed class RuntimeManagedHeap : IManagedHeap
{
    public int Gen0Collections => GC.CollectionCount(0);

    public long CommittedBytes => GC.GetGCMemoryInfo().TotalCommittedBytes;

    public void CollectAndRelease() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
