using Glassbox.Gateway.Configuration;

namespace Glassbox.Gateway.Tests.Configuration;

/// <summary>Each bad setting is refused with a message naming its key.</summary>
public sealed class GlassboxOptionsValidatorTests
{
    [Fact]
    public void Validate_DefaultsPlusAnExtraUpstream_Succeeds()
    {
        var options = Valid();
        options.Upstreams["Groq"] = new UpstreamOptions { BaseUrl = new Uri("https://api.groq.com/openai"), Provider = "groq", Api = ApiFamily.OpenAI, PathPrefix = "/groq" };

        Assert.True(new GlassboxOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("ftp://files.example")]
    [InlineData("relative/path")]
    [InlineData("file:///etc/passwd")]
    public void Validate_BaseUrlNotAbsoluteHttp_FailsNamingBaseUrl(string url)
    {
        var options = Valid();
        options.Upstreams["OpenAI"].BaseUrl = new Uri(url, UriKind.RelativeOrAbsolute);

        AssertFails(options, "Glassbox:Upstreams:OpenAI:BaseUrl");
    }

    [Fact]
    public void Validate_BaseUrlMissing_FailsNamingBaseUrl()
    {
        var options = Valid();
        options.Upstreams["Anthropic"].BaseUrl = null;

        AssertFails(options, "Glassbox:Upstreams:Anthropic:BaseUrl");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_ProviderMissing_FailsNamingProvider(string provider)
    {
        var options = Valid();
        options.Upstreams["Anthropic"].Provider = provider;

        AssertFails(options, "Glassbox:Upstreams:Anthropic:Provider");
    }

    [Fact]
    public void Validate_NoUpstreams_Fails()
    {
        var options = new GlassboxOptions();

        AssertFails(options, "Glassbox:Upstreams");
    }

    [Fact]
    public void Validate_DefaultUpstreamNotDefined_FailsNamingDefaultUpstream()
    {
        var options = Valid();
        options.DefaultUpstream = "Mistral";

        AssertFails(options, "Glassbox:DefaultUpstream 'Mistral'");
    }

    [Fact]
    public void Validate_DefaultUpstreamDifferentCase_Accepted()
    {
        var options = Valid();
        options.DefaultUpstream = "openai";

        Assert.True(new GlassboxOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("groq")]
    [InlineData("/groq/")]
    [InlineData("groq/")]
    public void Validate_BadPathPrefix_FailsNamingPathPrefix(string prefix)
    {
        var options = Valid();
        options.Upstreams["Groq"] = new UpstreamOptions { BaseUrl = new Uri("https://api.groq.com"), Provider = "groq", Api = ApiFamily.OpenAI, PathPrefix = prefix };

        AssertFails(options, "Glassbox:Upstreams:Groq:PathPrefix");
    }

    [Theory]
    [InlineData("/groq", "/groq")]
    [InlineData("/groq", "/GROQ")]
    [InlineData("", "")]
    public void Validate_DuplicatePrefixForTheSameApi_Fails(string first, string second)
    {
        var options = Valid();
        options.Upstreams["A"] = new UpstreamOptions { BaseUrl = new Uri("https://a.example"), Provider = "a", Api = ApiFamily.OpenAI, PathPrefix = first };
        options.Upstreams["B"] = new UpstreamOptions { BaseUrl = new Uri("https://b.example"), Provider = "b", Api = ApiFamily.OpenAI, PathPrefix = second };

        // With an empty prefix the built-in OpenAI upstream collides too.
        AssertFails(options, "already uses PathPrefix");
    }

    [Fact]
    public void Validate_SamePrefixForDifferentApis_Accepted()
    {
        var options = Valid();
        options.Upstreams["A"] = new UpstreamOptions { BaseUrl = new Uri("https://a.example"), Provider = "a", Api = ApiFamily.OpenAI, PathPrefix = "/x" };
        options.Upstreams["B"] = new UpstreamOptions { BaseUrl = new Uri("https://b.example"), Provider = "b", Api = ApiFamily.Anthropic, PathPrefix = "/x" };

        Assert.True(new GlassboxOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_TrustedCertificatePathMissing_FailsNamingIt()
    {
        var options = Valid();
        options.Upstreams["Anthropic"].TrustedCertificatePath = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.pem");

        AssertFails(options, "Glassbox:Upstreams:Anthropic:TrustedCertificatePath");
    }

    [Theory]
    [InlineData(-1, 0.5, 20)]
    [InlineData(11, 0.5, 20)]
    [InlineData(2, -0.1, 20)]
    [InlineData(2, 5, 1)]
    public void Validate_BadRetry_FailsNamingRetry(int maxRetries, double baseDelaySeconds, double maxDelaySeconds)
    {
        var options = Valid();
        var retry = options.Upstreams["OpenAI"].Retry;
        retry.MaxRetries = maxRetries;
        retry.BaseDelay = TimeSpan.FromSeconds(baseDelaySeconds);
        retry.MaxDelay = TimeSpan.FromSeconds(maxDelaySeconds);

        AssertFails(options, "Glassbox:Upstreams:OpenAI:Retry");
    }

    [Theory]
    [InlineData(0, 10, 30, 15)]
    [InlineData(1.5, 10, 30, 15)]
    [InlineData(0.5, 1, 30, 15)]
    [InlineData(0.5, 10, 0.1, 15)]
    [InlineData(0.5, 10, 30, 0.1)]
    public void Validate_BadCircuitBreaker_FailsNamingCircuitBreaker(double ratio, int throughput, double samplingSeconds, double breakSeconds)
    {
        var options = Valid();
        var breaker = options.Upstreams["Anthropic"].CircuitBreaker;
        breaker.FailureRatio = ratio;
        breaker.MinimumThroughput = throughput;
        breaker.SamplingDuration = TimeSpan.FromSeconds(samplingSeconds);
        breaker.BreakDuration = TimeSpan.FromSeconds(breakSeconds);

        AssertFails(options, "Glassbox:Upstreams:Anthropic:CircuitBreaker");
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, -1, 1)]
    [InlineData(1, 1, 0)]
    public void Validate_NonPositiveTimeout_FailsNamingTimeouts(int headers, int idle, int total)
    {
        var options = Valid();
        var timeouts = options.Upstreams["OpenAI"].Timeouts;
        timeouts.Headers = TimeSpan.FromSeconds(headers);
        timeouts.Idle = TimeSpan.FromSeconds(idle);
        timeouts.Total = TimeSpan.FromSeconds(total);

        AssertFails(options, "Glassbox:Upstreams:OpenAI:Timeouts");
    }

    [Fact]
    public void Validate_SeveralProblems_AllReported()
    {
        var options = Valid();
        options.DefaultUpstream = "Nope";
        options.Upstreams["OpenAI"].Provider = "";
        options.Upstreams["Anthropic"].Retry.MaxRetries = 99;

        var result = new GlassboxOptionsValidator().Validate(null, options);

        Assert.Equal(3, result.Failures!.Count());
    }

    private static GlassboxOptions Valid()
    {
        var options = new GlassboxOptions();
        options.Upstreams["Anthropic"] = new UpstreamOptions { BaseUrl = new Uri("https://ezaiapi.com"), Provider = "anthropic", Api = ApiFamily.Anthropic };
        options.Upstreams["OpenAI"] = new UpstreamOptions { BaseUrl = new Uri("https://ezaiapi.com"), Provider = "openai", Api = ApiFamily.OpenAI };
        return options;
    }

    private static void AssertFails(GlassboxOptions options, string expectedInMessage)
    {
        var result = new GlassboxOptionsValidator().Validate(null, options);

        Assert.True(result.Failed, "validation passed");
        Assert.Contains(result.Failures!, failure => failure.Contains(expectedInMessage, StringComparison.Ordinal));
    }
}
