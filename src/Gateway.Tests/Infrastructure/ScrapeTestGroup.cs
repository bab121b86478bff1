namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// Tests that scrape a gateway's /metrics run alone, one gateway at a time. The OpenTelemetry SDK subscribes to
/// meters by name, process-wide: a gateway's MeterProvider also sees the same-named instruments of every other
/// gateway alive in the test process, and exports whichever was published first. A real deployment has one
/// gateway per process; here, a scrape is only about its own gateway when no other one is running.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScrapeTestGroup
{
    public const string Name = "Scrapes /metrics (no other gateway running)";
}
