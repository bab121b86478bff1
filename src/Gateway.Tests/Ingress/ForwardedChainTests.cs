using System.Net;
using Glassbox.Gateway.Ingress;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Tests.Ingress;

/// <summary>Who the client is, as far as the known proxies vouch for it.</summary>
public sealed class ForwardedChainTests
{
    private static readonly KnownNetworks Loopback = Known(null);

    [Fact]
    public void Resolve_UntrustedPeerSendsForwardedFor_PeerIsTheClient()
    {
        var (address, scheme) = ForwardedChain.Resolve(IPAddress.Parse("198.51.100.20"), Headers(("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https")), Loopback);

        Assert.Equal("198.51.100.20", address);
        Assert.Null(scheme);
    }

    [Fact]
    public void Resolve_KnownProxyReportsClient_ReportedAddressAndScheme()
    {
        var (address, scheme) = ForwardedChain.Resolve(IPAddress.Loopback, Headers(("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https")), Loopback);

        Assert.Equal("203.0.113.7", address);
        Assert.Equal("https", scheme);
    }

    [Fact]
    public void Resolve_ChainThroughKnownProxies_RightmostAddressNoKnownProxyVouchesFor()
    {
        var known = Known(["10.0.0.0/8"]);

        // The client may write anything leftmost ("1.1.1.1"); only 10.x hops are believed, so 203.0.113.9 is the client.
        var (address, _) = ForwardedChain.Resolve(IPAddress.Parse("10.1.2.3"), Headers(("X-Forwarded-For", "1.1.1.1, 203.0.113.9"), ("X-Forwarded-For", "10.9.9.9")), known);

        Assert.Equal("203.0.113.9", address);
    }

    [Fact]
    public void Resolve_ForwardedHeaderWithIpv6AndPort_AddressWithoutPort()
    {
        var (address, scheme) = ForwardedChain.Resolve(IPAddress.IPv6Loopback, Headers(("Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https;by=127.0.0.1")), Loopback);

        Assert.Equal("2001:db8:cafe::17", address);
        Assert.Equal("https", scheme);
    }

    [Fact]
    public void Resolve_ForwardedHeaderPresent_WinsOverXForwardedFor()
    {
        var (address, _) = ForwardedChain.Resolve(IPAddress.Loopback, Headers(("Forwarded", "for=192.0.2.60:8080"), ("X-Forwarded-For", "203.0.113.7")), Loopback);

        Assert.Equal("192.0.2.60", address);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("_hidden")]
    [InlineData("not an address")]
    public void Resolve_UnreadableHop_StopsAtTheLastProxyBelieved(string hop)
    {
        var (address, _) = ForwardedChain.Resolve(IPAddress.Loopback, Headers(("X-Forwarded-For", hop)), Loopback);

        Assert.Equal("127.0.0.1", address);
    }

    [Fact]
    public void Resolve_Ipv4MappedPeer_ComparedAsIpv4()
    {
        var (address, _) = ForwardedChain.Resolve(IPAddress.Loopback.MapToIPv6(), Headers(("X-Forwarded-For", "203.0.113.7")), Loopback);

        Assert.Equal("203.0.113.7", address);
    }

    [Fact]
    public void KnownNetworks_CommaSeparatedEntryAndBareAddress_AllBelieved()
    {
        var known = Known(["10.0.0.0/8, 192.168.0.0/16", "172.16.0.1"]);

        Assert.True(known.Contains(IPAddress.Parse("10.200.0.1")));
        Assert.True(known.Contains(IPAddress.Parse("192.168.4.4")));
        Assert.True(known.Contains(IPAddress.Parse("172.16.0.1")));
        Assert.False(known.Contains(IPAddress.Parse("172.16.0.2")));
        Assert.False(known.Contains(IPAddress.Loopback));
    }

    private static KnownNetworks Known(string[]? networks) => new(Options.Create(new TrustedProxiesOptions { KnownNetworks = networks }));

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary.Append(name, value);
        }

        return dictionary;
    }
}
