using System.Globalization;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Glassbox.Gateway.Telemetry.Sampling;

/// <summary>
/// The head sampler the operator chose with the standard <c>OTEL_TRACES_SAMPLER</c> and
/// <c>OTEL_TRACES_SAMPLER_ARG</c>, read from configuration (environment, appsettings, command line)
/// with the same values and fallbacks as the OpenTelemetry SDK.
/// </summary>
internal static class HeadSampler
{
    public const string SamplerKey = "OTEL_TRACES_SAMPLER";
    public const string ArgumentKey = "OTEL_TRACES_SAMPLER_ARG";

    public static Sampler Create(IConfiguration configuration, ILogger? logger = null)
    {
        var name = configuration[SamplerKey]?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return new ParentBasedSampler(new AlwaysOnSampler());
        }

        switch (name.ToUpperInvariant())
        {
            case "ALWAYS_ON":
                return new AlwaysOnSampler();
            case "ALWAYS_OFF":
                return new AlwaysOffSampler();
            case "TRACEIDRATIO":
                return new TraceIdRatioBasedSampler(Ratio(configuration, logger));
            case "PARENTBASED_ALWAYS_ON":
                return new ParentBasedSampler(new AlwaysOnSampler());
            case "PARENTBASED_ALWAYS_OFF":
                return new ParentBasedSampler(new AlwaysOffSampler());
            case "PARENTBASED_TRACEIDRATIO":
                return new ParentBasedSampler(new TraceIdRatioBasedSampler(Ratio(configuration, logger)));
            default:
                if (logger is not null)
                {
                    GatewayLog.UnknownTraceSampler(logger, name);
                }

                return new ParentBasedSampler(new AlwaysOnSampler());
        }
    }

    /// <summary>True when the sampler can never drop a span, so recording dropped spans buys nothing.</summary>
    public static bool SamplesEverything(Sampler sampler) => sampler is AlwaysOnSampler;

    private static double Ratio(IConfiguration configuration, ILogger? logger)
    {
        var text = configuration[ArgumentKey];
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0.0 and <= 1.0)
        {
            return ratio;
        }

        if (logger is not null)
        {
            GatewayLog.InvalidTraceSamplerArgument(logger, text);
        }

        return 1.0;
    }
}
