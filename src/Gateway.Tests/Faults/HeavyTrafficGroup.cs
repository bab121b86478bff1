namespace Glassbox.Gateway.Tests.Faults;

/// <summary>
/// Tests that push hundreds of megabytes or thousands of connections through the gateway run on their own,
/// not alongside the suite's timing-sensitive tests (pacing, phases) whose bounds they would eat into.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyTrafficGroup
{
    public const string Name = "Heavy traffic";
}
