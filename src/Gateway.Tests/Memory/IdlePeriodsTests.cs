using Glassbox.Gateway.Memory;

namespace Glassbox.Gateway.Tests.Memory;

/// <summary>One trim per quiet stretch: never while the gateway is busy, never twice for the same quiet.</summary>
public sealed class IdlePeriodsTests
{
    [Fact]
    public void ShouldTrim_NoCollectionSinceTheFirstLook_True()
    {
        var periods = new IdlePeriods(gen0Collections: 7);

        Assert.True(periods.ShouldTrim(7));
    }

    [Fact]
    public void ShouldTrim_CollectionsSinceTheLastLook_FalseWhileBusy()
    {
        var periods = new IdlePeriods(gen0Collections: 7);

        Assert.False(periods.ShouldTrim(9));
        Assert.False(periods.ShouldTrim(15));
    }

    [Fact]
    public void ShouldTrim_QuietAfterATrim_FalseUntilActivityAndQuietAgain()
    {
        var periods = new IdlePeriods(gen0Collections: 3);
        periods.Trimmed(gen0Collections: 4); // the trim's own collection

        Assert.False(periods.ShouldTrim(4)); // still the same quiet
        Assert.False(periods.ShouldTrim(4));
        Assert.False(periods.ShouldTrim(6)); // traffic
        Assert.True(periods.ShouldTrim(6));  // quiet again
    }
}
