using Glassbox.Gateway.Auth;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Tests.Auth;

/// <summary>An upstream key on an address others can reach is an open relay: the gateway refuses to start that way.</summary>
public sealed class ListenGuardTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("http://127.0.0.1:8080;http://[::1]:8080", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("http://127.0.0.1:8080;http://+:9090", false)]
    public void IsLoopbackOnly_ListenUrls_OnlyLoopbackHostsCount(string urls, bool loopback)
    {
        Assert.Equal(loopback, ListenAddresses.IsLoopbackOnly(urls.Split(';')));
    }

    [Fact]
    public void Check_AllowAnonymousKeyInjectionOnAllInterfaces_StartsWithAWarning()
    {
        var verdict = AnonymousRelayGuard.Check(["http://+:8080"], ["Anthropic"], inboundKeys: false, allowAnonymous: true);

        Assert.Equal(AnonymousRelayVerdict.Warn, verdict);
    }

    [Theory]
    [InlineData("http://+:8080", true, false, "Allow")]
    [InlineData("http://127.0.0.1:8080", false, false, "Allow")]
    [InlineData("http://+:8080", false, false, "Refuse")]
    public void Check_ListenAndKeys_Verdict(string urls, bool inboundKeys, bool allowAnonymous, string expected)
    {
        Assert.Equal(Enum.Parse<AnonymousRelayVerdict>(expected), AnonymousRelayGuard.Check([urls], ["OpenAI"], inboundKeys, allowAnonymous));
    }

    [Fact]
    public void Check_NoUpstreamKey_NothingToLeak()
    {
        Assert.Equal(AnonymousRelayVerdict.Allow, AnonymousRelayGuard.Check(["http://+:8080"], [], inboundKeys: false, allowAnonymous: false));
    }
}
