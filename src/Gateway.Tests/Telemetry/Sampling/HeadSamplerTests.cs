using System.Diagnostics;
using Glassbox.Gateway.Telemetry.Sampling;
using OpenTelemetry.Trace;

namespace Glassbox.Gateway.Tests.Telemetry.Sampling;

/// <summary>OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG become the sampler the OpenTelemetry SDK would build.</summary>
public sealed class HeadSamplerTests
{
    [Theory]
    [InlineData(null, null, "ParentBased{AlwaysOnSampler}")]
    [InlineData("", null, "ParentBased{AlwaysOnSampler}")]
    [InlineData("always_on", null, "AlwaysOnSampler")]
    [InlineData("always_off", null, "AlwaysOffSampler")]
    [InlineData("traceidratio", "0.25", "TraceIdRatioBasedSampler{0.250000}")]
    [InlineData("traceidratio", "0", "TraceIdRatioBasedSampler{0.000000}")]
    [InlineData("parentbased_always_on", null, "ParentBased{AlwaysOnSampler}")]
    [InlineData("parentbased_always_off", null, "ParentBased{AlwaysOffSampler}")]
    [InlineData("parentbased_traceidratio", "0.5", "ParentBased{TraceIdRatioBasedSampler{0.500000}}")]
    [InlineData(" PARENTBASED_TRACEIDRATIO ", "0.1", "ParentBased{TraceIdRatioBasedSampler{0.100000}}")]
    public void Create_EachStandardValue_BuildsThatSampler(string? sampler, string? argument, string description)
    {
        Assert.Equal(description, HeadSampler.Create(Configuration(sampler, argument)).Description);
    }

    [Theory]
    [InlineData("traceidratio", null)]
    [InlineData("traceidratio", "1.5")]
    [InlineData("traceidratio", "-0.1")]
    [InlineData("traceidratio", "half")]
    public void Create_RatioMissingOrOutOfRange_UsesOneLikeTheSdk(string sampler, string? argument)
    {
        Assert.Equal("TraceIdRatioBasedSampler{1.000000}", HeadSampler.Create(Configuration(sampler, argument)).Description);
    }

    [Fact]
    public void Create_UnknownSampler_FallsBackToParentBasedAlwaysOn()
    {
        Assert.Equal("ParentBased{AlwaysOnSampler}", HeadSampler.Create(Configuration("sometimes", null)).Description);
    }

    [Fact]
    public void ShouldSample_HeadDrops_RecordsOnlyAndKeepsWhatTheHeadSamples()
    {
        var parameters = new SamplingParameters(default, ActivityTraceId.CreateRandom(), "chat", ActivityKind.Client);

        Assert.Equal(SamplingDecision.Drop, new AlwaysOffSampler().ShouldSample(parameters).Decision);
        Assert.Equal(SamplingDecision.RecordOnly, new RecordOnlyOnDropSampler(new AlwaysOffSampler()).ShouldSample(parameters).Decision);
        Assert.Equal(SamplingDecision.RecordOnly, new RecordOnlyOnDropSampler(new TraceIdRatioBasedSampler(0)).ShouldSample(parameters).Decision);
        Assert.Equal(SamplingDecision.RecordAndSample, new RecordOnlyOnDropSampler(new AlwaysOnSampler()).ShouldSample(parameters).Decision);
        Assert.Equal("RecordOnlyOnDrop{AlwaysOffSampler}", new RecordOnlyOnDropSampler(new AlwaysOffSampler()).Description);
    }

    private static IConfiguration Configuration(string? sampler, string? argument) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            [HeadSampler.SamplerKey] = sampler,
            [HeadSampler.ArgumentKey] = argument,
        })
        .Build();
}
