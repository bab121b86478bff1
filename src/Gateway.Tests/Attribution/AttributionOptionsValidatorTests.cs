using Glassbox.Gateway.Attribution;

namespace Glassbox.Gateway.Tests.Attribution;

public sealed class AttributionOptionsValidatorTests
{
    [Theory]
    [InlineData("gen_ai.request.model")]
    [InlineData("glassbox.tag.Has Space")]
    [InlineData("trace_id")]
    public void Validate_MetricDimensionThatIsNoAttributionAttribute_FailsNamingIt(string dimension)
    {
        var result = new AttributionOptionsValidator().Validate(null, new AttributionOptions { MetricDimensions = [dimension] });

        Assert.Contains($"'{dimension}'", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new AttributionOptionsValidator().Validate(null, new AttributionOptions()).Succeeded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public void Validate_MaxValuesOutOfRange_Fails(int max)
    {
        var result = new AttributionOptionsValidator().Validate(null, new AttributionOptions { MaxValuesPerDimension = max });

        Assert.Contains("Glassbox:Attribution:MaxValuesPerDimension", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }
}
