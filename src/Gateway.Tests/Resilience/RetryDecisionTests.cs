using System.Net.Http.Headers;
using Glassbox.Gateway.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace Glassbox.Gateway.Tests.Resilience;

/// <summary>How long the gateway waits before a retry, and whether it retries at all, as the upstream asked.</summary>
public sealed class RetryDecisionTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void RetryAfter_WholeSeconds_WaitsThatLong()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), RetryDecision.RetryAfter(Headers(("retry-after", "7")), Clock.GetUtcNow()));
    }

    [Fact]
    public void RetryAfter_FractionalSeconds_WaitsThatLong()
    {
        Assert.Equal(TimeSpan.FromSeconds(1.5), RetryDecision.RetryAfter(Headers(("retry-after", "1.5")), Clock.GetUtcNow()));
    }

    [Fact]
    public void RetryAfter_HttpDateInTheFuture_WaitsUntilThen()
    {
        var headers = Headers(("retry-after", Clock.GetUtcNow().AddSeconds(42).ToString("R")));

        Assert.Equal(TimeSpan.FromSeconds(42), RetryDecision.RetryAfter(headers, Clock.GetUtcNow()));
    }

    [Fact]
    public void RetryAfter_HttpDateInThePast_DoesNotWait()
    {
        var headers = Headers(("retry-after", Clock.GetUtcNow().AddMinutes(-3).ToString("R")));

        Assert.Equal(TimeSpan.Zero, RetryDecision.RetryAfter(headers, Clock.GetUtcNow()));
    }

    [Fact]
    public void RetryAfter_RetryAfterMsAndRetryAfterBothSent_MillisecondsWin()
    {
        var headers = Headers(("retry-after", "30"), ("retry-after-ms", "250"));

        Assert.Equal(TimeSpan.FromMilliseconds(250), RetryDecision.RetryAfter(headers, Clock.GetUtcNow()));
    }

    [Fact]
    public void RetryAfter_FractionalMilliseconds_Kept()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(12.5), RetryDecision.RetryAfter(Headers(("retry-after-ms", "12.5")), Clock.GetUtcNow()));
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("soon")]
    [InlineData("")]
    public void RetryAfter_BadRetryAfterMs_FallsBackToRetryAfter(string badMs)
    {
        var headers = Headers(("retry-after-ms", badMs), ("retry-after", "2"));

        Assert.Equal(TimeSpan.FromSeconds(2), RetryDecision.RetryAfter(headers, Clock.GetUtcNow()));
    }

    [Theory]
    [InlineData("-3")]
    [InlineData("-0.5")]
    [InlineData("later")]
    [InlineData("Mon, 99 Foo 2025 99:99:99 GMT")]
    public void RetryAfter_NegativeOrGarbage_Ignored(string value)
    {
        Assert.Null(RetryDecision.RetryAfter(Headers(("retry-after", value)), Clock.GetUtcNow()));
    }

    [Fact]
    public void RetryAfter_NoHeaders_Null()
    {
        Assert.Null(RetryDecision.RetryAfter(Headers(), Clock.GetUtcNow()));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(529)]
    public void ShouldRetry_TransientStatus_Retried(int status)
    {
        Assert.True(RetryDecision.IsRetryableStatus(status));
        Assert.True(RetryDecision.ShouldRetry(status, Headers()));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(413)]
    [InlineData(422)]
    [InlineData(501)]
    public void ShouldRetry_PermanentStatus_NotRetried(int status)
    {
        Assert.False(RetryDecision.IsRetryableStatus(status));
        Assert.False(RetryDecision.ShouldRetry(status, Headers()));
    }

    [Theory]
    [InlineData("false")]
    [InlineData("FALSE")]
    public void ShouldRetry_ShouldRetryFalseOnRetryableStatus_NotRetried(string value)
    {
        Assert.False(RetryDecision.ShouldRetry(503, Headers(("x-should-retry", value))));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("True")]
    public void ShouldRetry_ShouldRetryTrueOnPermanentStatus_Retried(string value)
    {
        Assert.True(RetryDecision.ShouldRetry(409, Headers(("x-should-retry", value))));
    }

    [Fact]
    public void ShouldRetry_ShouldRetryGarbage_StatusDecides()
    {
        Assert.True(RetryDecision.ShouldRetry(529, Headers(("x-should-retry", "maybe"))));
        Assert.False(RetryDecision.ShouldRetry(400, Headers(("x-should-retry", "maybe"))));
    }

    private static HttpResponseHeaders Headers(params (string Name, string Value)[] values)
    {
        var response = new HttpResponseMessage();
        foreach (var (name, value) in values)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response.Headers;
    }
}
