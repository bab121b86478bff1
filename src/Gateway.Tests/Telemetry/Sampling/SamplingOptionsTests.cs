using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Tests.Telemetry.Sampling;

/// <summary>A bad sampling setting stops the gateway at start-up, naming the setting.</summary>
public sealed class SamplingOptionsTests
{
    [Theory]
    [InlineData("Glassbox:Sampling:KeepSlowerThan", "-00:00:01", "KeepSlowerThan")]
    [InlineData("Glassbox:Sampling:MaxPendingTraces", "0", "MaxPendingTraces")]
    [InlineData("Glassbox:Sampling:MaxSpansPerTrace", "0", "MaxSpansPerTrace")]
    public async Task Start_SettingOutOfRange_FailsNamingIt(string key, string value, string name)
    {
        await using var app = GatewayApp.Build(["--urls", "http://127.0.0.1:0"], settings: new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }
}
