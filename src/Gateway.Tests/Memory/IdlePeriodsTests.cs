using Glassbox.Gateway.Memory;

namespace Glassbox.Gateway.Tests.Memory;

/// <summary>One trim per quiet stretch of a whole period: never while the gateway is busy, never twice for the same quiet.</summary>
public sealed class IdlePeriodsTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    private static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void ShouldTrim_QuietForAWholePeriod_True()
    {
        var periods = new IdlePeriods(Period, gen0Collections: 7, now: At(0));

        Assert.False(periods.ShouldTrim(7, At(14.9)));
        Assert.True(periods.ShouldTrim(7, At(15)));
    }

    [Fact]
    public void ShouldTrim_CollectionsKeepComing_FalseWhileBusy()
    {
        var periods = new IdlePeriods(Period, gen0Collections: 7, now: At(0));

        Assert.False(periods.ShouldTrim(9, At(10)));
        Assert.False(periods.ShouldTrim(15, At(20)));
        Assert.False(periods.ShouldTrim(15, At(34))); // quiet since 20 s: not a whole period yet
        Assert.True(periods.ShouldTrim(15, At(35)));
    }

    [Fact]
    public void ShouldTrim_QuietAfterATrim_FalseUntilActivityAndAWholeQuietPeriodAgain()
    {
        var periods = new IdlePeriods(Period, gen0Collections: 3, now: At(0));
        periods.Trimmed(gen0Collections: 4); // the trim's own collection

        Assert.False(periods.ShouldTrim(4, At(20))); // still the same quiet
        Assert.False(periods.ShouldTrim(4, At(60)));
        Assert.False(periods.ShouldTrim(6, At(61))); // traffic
        Assert.False(periods.ShouldTrim(6, At(70)));
        Assert.True(periods.ShouldTrim(6, At(76)));  // quiet again for a whole period
    }
}
