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
