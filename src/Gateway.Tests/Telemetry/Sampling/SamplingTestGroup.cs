namespace Glassbox.Gateway.Tests.Telemetry.Sampling;

/// <summary>
/// Tests that sample below 100 % run alone: ActivitySource listeners are process-wide and a span is
/// sampled when ANY listening tracer provider samples it, so another test's always-on gateway running
/// alongside would mark these tests' spans sampled.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SamplingTestGroup
{
    public const string Name = "Sampling (alone: samplers are process-wide)";
}
