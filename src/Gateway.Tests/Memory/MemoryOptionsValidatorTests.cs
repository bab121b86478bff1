using Glassbox.Gateway.Memory;

namespace Glassbox.Gateway.Tests.Memory;

/// <summary>Glassbox:Memory:IdleTrimAfter is off (0) or a usable period; anything else stops the start.</summary>
public sealed class MemoryOptionsValidatorTests
{
    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:01")]
    [InlineData("00:00:15")]
    [InlineData("1.00:00:00")]
    public void Validate_OffOrUsablePeriod_Succeeds(string period)
    {
        var result = new MemoryOptionsValidator().Validate(null, new MemoryOptions { IdleTrimAfter = TimeSpan.Parse(period, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("00:00:00.5")]
    [InlineData("1.00:00:01")]
    public void Validate_NegativeSubSecondOrOverADay_FailsNamingTheKey(string period)
    {
        var result = new MemoryOptionsValidator().Validate(null, new MemoryOptions { IdleTrimAfter = TimeSpan.Parse(period, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(result.Failed);
        Assert.Contains("Glassbox:Memory:IdleTrimAfter", result.FailureMessage, StringComparison.Ordinal);
    }
}
