using Glassbox.Gateway.Telemetry;

namespace Glassbox.Gateway.Tests.Telemetry;

/// <summary>Provider rate-limit headers, read in one pass over the response's headers.</summary>
public sealed class RateLimitSnapshotTests
{
    private static readonly int Requests = Array.IndexOf(RateLimitSnapshot.Kinds, "requests");
    private static readonly int InputTokens = Array.IndexOf(RateLimitSnapshot.Kinds, "input_tokens");

    [Fact]
    public void Read_NoRateLimitHeader_IsNull()
    {
        using var response = Response(("server", "upstream"), ("request-id", "req_1"), ("x-request-id", "abc"));

        Assert.Null(RateLimitSnapshot.Read(response.Headers));
    }

    [Fact]
    public void Read_AnthropicHeaders_EveryFieldOfTheKind()
    {
        using var response = Response(
            ("anthropic-ratelimit-input-tokens-limit", "400000"),
            ("Anthropic-RateLimit-Input-Tokens-Remaining", "399000"),
            ("anthropic-ratelimit-input-tokens-reset", "2026-12-01T23:00:00Z"));

        var snapshot = RateLimitSnapshot.Read(response.Headers)!;

        Assert.Equal(400000, snapshot.Limit(InputTokens));
        Assert.Equal(399000, snapshot.Remaining(InputTokens));
        Assert.Equal("2026-12-01T23:00:00Z", snapshot.Reset(InputTokens));
        Assert.Null(snapshot.Limit(Requests));
    }

    [Fact]
    public void Read_BothSpellings_AnthropicWinsWhicheverComesFirst()
    {
        using var response = Response(
            ("x-ratelimit-limit-requests", "10"),
            ("anthropic-ratelimit-requests-limit", "50"),
            ("x-ratelimit-remaining-requests", "9"));

        var snapshot = RateLimitSnapshot.Read(response.Headers)!;

        Assert.Equal(50, snapshot.Limit(Requests));
        Assert.Equal(9, snapshot.Remaining(Requests));
    }

    [Fact]
    public void Read_UnparseableAnthropicNumber_OpenAISpellingStillCounts()
    {
        using var response = Response(("anthropic-ratelimit-requests-limit", "lots"), ("x-ratelimit-limit-requests", "10"));

        Assert.Equal(10, RateLimitSnapshot.Read(response.Headers)!.Limit(Requests));
    }

    [Fact]
    public void Read_OnlyUnparseableNumbers_IsNull()
    {
        using var response = Response(("x-ratelimit-remaining-tokens", "n/a"));

        Assert.Null(RateLimitSnapshot.Read(response.Headers));
    }

    public static TheoryData<string, string, string> EveryName()
    {
        var names = new TheoryData<string, string, string>();
        foreach (var kind in RateLimitSnapshot.Kinds)
        {
            var dashed = kind.Replace('_', '-');
            foreach (var field in new[] { "limit", "remaining", "reset" })
            {
                names.Add($"anthropic-ratelimit-{dashed}-{field}", kind, field);
                names.Add($"x-ratelimit-{field}-{dashed}", kind, field);
                names.Add($"X-RateLimit-{field.ToUpperInvariant()}-{dashed.ToUpperInvariant()}", kind, field);
            }
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(EveryName))]
    public void Read_EachHeaderName_FillsItsOwnKindAndFieldOnly(string name, string kind, string field)
    {
        using var response = Response((name, "7"));

        var snapshot = RateLimitSnapshot.Read(response.Headers)!;

        for (var k = 0; k < RateLimitSnapshot.Kinds.Length; k++)
        {
            var mine = RateLimitSnapshot.Kinds[k] == kind;
            Assert.Equal(mine && field == "limit" ? 7 : null, snapshot.Limit(k));
            Assert.Equal(mine && field == "remaining" ? 7 : null, snapshot.Remaining(k));
            Assert.Equal(mine && field == "reset" ? "7" : null, snapshot.Reset(k));
        }
    }

    [Theory]
    [InlineData("anthropic-ratelimit-tokens-limits")]
    [InlineData("anthropic-ratelimit-tokens")]
    [InlineData("anthropic-ratelimit-tokens-")]
    [InlineData("anthropic-ratelimit-limit-tokens")]
    [InlineData("anthropic-ratelimit-input_tokens-limit")]
    [InlineData("anthropic-ratelimit-tokensx-limit")]
    [InlineData("anthropic-ratelimit-requests--limit")]
    [InlineData("x-ratelimit-limit-tokens-x")]
    [InlineData("x-ratelimit-tokens-limit")]
    [InlineData("x-ratelimit-limit")]
    [InlineData("x-ratelimit-limit-")]
    [InlineData("x-ratelimit-limits-tokens")]
    [InlineData("x-ratelimit-reset-input")]
    [InlineData("xx-ratelimit-limit-tokens")]
    [InlineData("anthropic-ratelimit-unified-status")]
    public void Read_NearMissName_IsNull(string name)
    {
        using var response = Response((name, "7"));

        Assert.Null(RateLimitSnapshot.Read(response.Headers));
    }

    private static HttpResponseMessage Response(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}
