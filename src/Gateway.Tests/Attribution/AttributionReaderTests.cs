using Glassbox.Gateway.Attribution;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Tests.Attribution;

/// <summary>Who a call is for: headers first, then baggage, then the API key; cleaned values; never a failure.</summary>
public sealed class AttributionReaderTests
{
    private static CallAttribution Read(Action<AttributionOptions>? configure = null, string? key = null, string? gatewayKeyId = null, params (string Name, string Value)[] headers)
    {
        var options = new AttributionOptions();
        configure?.Invoke(options);
        var context = new DefaultHttpContext();
        foreach (var (name, value) in headers)
            context.Request.Headers.Append(name, value);
        return new AttributionReader(Options.Create(options)).Read(context.Request, key, gatewayKeyId);
    }

    [Fact]
    public void Read_HeadersAndBaggage_HeaderWinsAndBaggageFillsTheRest()
    {
        var attribution = Read(headers: [
            ("x-glassbox-app", "search"),
            ("baggage", "glassbox.app=ignored,glassbox.endpoint=%2Fsummarize,user.id=u-42;ttl=60"),
        ]);

        Assert.Equal(("search", "/summarize", "u-42"), (attribution.App, attribution.Endpoint, attribution.User));
    }

    [Fact]
    public void Read_TagHeadersAndConfiguredBaggageKeys_BecomeTags()
    {
        var attribution = Read(o => o.BaggageKeys.Add("tenant"), headers: [
            ("X-Glassbox-Tag-Feature", "chat-v2"),
            ("x-glassbox-tag-bad name", "x"),
            ("baggage", "tenant=acme, other=not-wanted"),
        ]);

        Assert.Equal([new("feature", "chat-v2"), new("tenant", "acme")], attribution.Tags);
        Assert.Equal("acme", attribution.ValueOf("glassbox.tag.tenant"));
    }

    [Theory]
    [InlineData("glassbox.app")]                    // no '='
    [InlineData("glassbox.app=a,=b")]               // empty key
    [InlineData("glassbox.app=a,bad key=b")]        // key not a token
    [InlineData("glassbox.app=%zz")]                // bad percent-encoding
    public void Read_MalformedBaggage_IgnoredForAttribution(string baggage)
    {
        var attribution = Read(headers: [("baggage", baggage), ("x-glassbox-endpoint", "/e")]);

        Assert.Null(attribution.App);
        Assert.Equal("/e", attribution.Endpoint);
    }

    [Fact]
    public void Read_LongValueWithControlCharacters_CleanedAndCutAt256Bytes()
    {
        var attribution = Read(headers: [("x-glassbox-user", "a\u0001b\u007f" + new string('é', 200))]);

        Assert.StartsWith("ab", attribution.User, StringComparison.Ordinal);
        Assert.Equal(256, System.Text.Encoding.UTF8.GetByteCount(attribution.User!));
    }

    [Fact]
    public void Read_ApiKeyOnly_KeyIdAndAliasWithoutAnyHeader()
    {
        var id = new ApiKeyId("s3cret").Of("sk-team-search");

        var attribution = Read(o => { o.KeyIdSecret = "s3cret"; o.KeyAliases[id!] = "team-search"; }, key: "sk-team-search");

        Assert.Equal(id, attribution.ApiKeyId);
        Assert.Equal("team-search", attribution.ApiKeyAlias);
        Assert.DoesNotContain("sk-team-search", attribution.ApiKeyId, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GatewayKeyPresented_ItsIdWinsOverTheHash()
    {
        Assert.Equal("team-a", Read(key: "gw-key", gatewayKeyId: "team-a").ApiKeyId);
    }

    [Fact]
    public void Read_NothingGiven_None()
    {
        Assert.Same(CallAttribution.None, Read());
    }

    [Fact]
    public void Read_UserAgent_Recorded()
    {
        Assert.Equal("OpenAI/.NET 2.15.0", Read(headers: [("User-Agent", "OpenAI/.NET 2.15.0")]).UserAgent);
    }
}
