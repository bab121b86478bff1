using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Tests.Auth;

/// <summary>An upstream key on an address others can reach is an open relay: the gateway refuses to start that way.</summary>
public sealed class StartupRefusalTests
{
    [Fact]
    public async Task Start_UpstreamKeyOnAllInterfacesWithoutInboundKeys_RefusesNamingTheKeys()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = GatewayApp.Build(["--urls", "http://0.0.0.0:0"], settings: new Dictionary<string, string?>
            {
                ["Glassbox:Upstreams:Anthropic:ApiKey"] = "sk-operator-key",
            });
            await app.StartAsync();
            await app.StopAsync();
        });

        Assert.Contains("Glassbox:Upstreams:Anthropic:ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("Glassbox:Auth:Keys", error.Message, StringComparison.Ordinal);
        Assert.Contains("Glassbox:Auth:AllowAnonymousKeyInjection", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-operator-key", error.Message, StringComparison.Ordinal);
    }
}
