using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Tests.Configuration;

/// <summary>A bad setting stops the gateway at start-up with a message naming the key, before it serves anything.</summary>
public sealed class StartupValidationTests
{
    public static TheoryData<string, string, string> BadSettings() => new()
    {
        { "Glassbox:Upstreams:OpenAI:BaseUrl", "ftp://files.example", "Glassbox:Upstreams:OpenAI:BaseUrl" },
        { "Glassbox:Upstreams:Groq:BaseUrl", "https://api.groq.com/openai", "Glassbox:Upstreams:Groq:Provider" },
        { "Glassbox:DefaultUpstream", "Mistral", "Glassbox:DefaultUpstream" },
        { "Glassbox:Upstreams:Anthropic:PathPrefix", "anthropic/", "Glassbox:Upstreams:Anthropic:PathPrefix" },
        { "Glassbox:Upstreams:Anthropic:TrustedCertificatePath", "/nonexistent/glassbox-ca.pem", "Glassbox:Upstreams:Anthropic:TrustedCertificatePath" },
        { "Glassbox:Upstreams:OpenAI:Retry:MaxRetries", "50", "Glassbox:Upstreams:OpenAI:Retry" },
        { "Glassbox:Upstreams:Anthropic:CircuitBreaker:FailureRatio", "0", "Glassbox:Upstreams:Anthropic:CircuitBreaker" },
        { "Glassbox:Upstreams:Anthropic:Timeouts:Idle", "00:00:00", "Glassbox:Upstreams:Anthropic:Timeouts" },
        { "Glassbox:MaxRequestBodyBytes", "10", "MaxRequestBodyBytes" },
        { "Glassbox:Metrics:Path", "metrics", "Glassbox:Metrics:Path" },
        { "Glassbox:Metrics:Path", "/v1/metrics", "Glassbox:Metrics:Path" },
        { "Glassbox:Metrics:Port", "70000", "Glassbox:Metrics:Port" },
        { "Glassbox:Prices:FileCheckInterval", "soon", "Glassbox:Prices:FileCheckInterval" },
        { "Glassbox:Prices:acme:Output", "-1", "Glassbox:Prices:acme" },
        { "Glassbox:Shutdown:DrainTimeout", "00:00:00", "Glassbox:Shutdown:DrainTimeout" },
        { "Glassbox:Shutdown:DrainTimeout", "-00:00:05", "Glassbox:Shutdown:DrainTimeout" },
        { "Glassbox:Shutdown:DrainDelay", "-00:00:01", "Glassbox:Shutdown:DrainDelay" },
        { "Glassbox:Shutdown:DrainDelay", "2.00:00:00", "Glassbox:Shutdown:DrainDelay" },
        { "Glassbox:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33", "Glassbox:ForwardedHeaders:KnownNetworks" },
        { "Glassbox:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/8, proxy.internal", "Glassbox:ForwardedHeaders:KnownNetworks" },
        { "Glassbox:MaxObservedBodyBytes", "0", "MaxObservedBodyBytes" },
    };

    [Theory]
    [InlineData("Glassbox:Shutdown:DrainTimeout", "five minutes")]
    [InlineData("Glassbox:Shutdown:DrainDelay", "soon")]
    public async Task Start_DurationThatDoesNotParse_FailsNamingTheKey(string key, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(new() { [key] = value }));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Start_BadSetting_FailsNamingTheKey(string key, string value, string named)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new() { [key] = value }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DuplicatePrefix_FailsNamingTheSecondUpstream()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new()
        {
            ["Glassbox:Upstreams:Groq:BaseUrl"] = "https://api.groq.com/openai",
            ["Glassbox:Upstreams:Groq:Provider"] = "groq",
            ["Glassbox:Upstreams:Groq:Api"] = "OpenAI",
            ["Glassbox:Upstreams:Groq:PathPrefix"] = "/fast",
            ["Glassbox:Upstreams:Cerebras:BaseUrl"] = "https://api.cerebras.ai",
            ["Glassbox:Upstreams:Cerebras:Provider"] = "cerebras",
            ["Glassbox:Upstreams:Cerebras:Api"] = "OpenAI",
            ["Glassbox:Upstreams:Cerebras:PathPrefix"] = "/fast",
        }));

        Assert.Contains("PathPrefix '/fast'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_GoodExtraUpstream_Starts()
    {
        await StartAsync(new()
        {
            ["Glassbox:Upstreams:Groq:BaseUrl"] = "https://api.groq.com/openai",
            ["Glassbox:Upstreams:Groq:Provider"] = "groq",
            ["Glassbox:Upstreams:Groq:Api"] = "OpenAI",
            ["Glassbox:Upstreams:Groq:PathPrefix"] = "/groq",
        });
    }

    /// <summary>Builds and starts a gateway on a free loopback port; stops it again if it did start.</summary>
    private static async Task StartAsync(Dictionary<string, string?> settings)
    {
        settings["Serilog:MinimumLevel:Default"] = "Fatal";
        await using var app = GatewayApp.Build(["--urls", "http://127.0.0.1:0"], builder => builder.Configuration.AddInMemoryCollection(settings));
        await app.StartAsync();
        await app.StopAsync();
    }
}
