using Glassbox.Gateway.Pricing;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Tests.Pricing;

/// <summary>The <c>Glassbox:Prices</c> section: model prices beside the two reserved settings, validated at start-up.</summary>
public sealed class PricingOptionsSetupTests
{
    private static PricingOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new PricingOptions();
        new PricingOptionsSetup(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).Configure(options);
        return options;
    }

    [Fact]
    public void Configure_FileAndInterval_AreSettingsNotModels()
    {
        var options = Bind(new()
        {
            ["Glassbox:Prices:File"] = "prices/model_prices.json",
            ["Glassbox:Prices:FileCheckInterval"] = "00:01:00",
            ["Glassbox:Prices:acme:Input"] = "1",
            ["Glassbox:Prices:acme:LongContextThreshold"] = "128000",
            ["Glassbox:Prices:acme:LongContextInput"] = "2",
        });

        Assert.Equal("prices/model_prices.json", options.File);
        Assert.Equal(TimeSpan.FromMinutes(1), options.FileCheckInterval);
        var acme = Assert.Single(options.Prices).Value;
        Assert.Equal((1m, 128_000L, 2m), (acme.Input, acme.LongContextThreshold!.Value, acme.LongContextInput!.Value));
    }

    [Fact]
    public void Configure_NoFile_DefaultsKept()
    {
        var options = Bind([]);

        Assert.Null(options.File);
        Assert.Equal(PricingOptions.DefaultFileCheckInterval, options.FileCheckInterval);
    }

    [Fact]
    public void Configure_BadInterval_FailsNamingTheKey()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Glassbox:Prices:FileCheckInterval"] = "soon" }));

        Assert.Contains("Glassbox:Prices:FileCheckInterval", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Glassbox:Prices:acme:Output", "-1", "Glassbox:Prices:acme: prices must not be negative.")]
    [InlineData("Glassbox:Prices:acme:LongContextThreshold", "0", "Glassbox:Prices:acme:LongContextThreshold must be positive.")]
    [InlineData("Glassbox:Prices:FileCheckInterval", "00:00:00", "Glassbox:Prices:FileCheckInterval must be positive.")]
    public void Validate_BadValue_FailsNamingTheKey(string key, string value, string failure)
    {
        var options = Bind(new() { ["Glassbox:Prices:acme:Input"] = "1", [key] = value });

        var result = new PricingOptionsValidator().Validate(null, options);

        Assert.Equal([failure], result.Failures);
    }
}
