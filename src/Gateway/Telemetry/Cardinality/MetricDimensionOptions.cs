namespace Glassbox.Gateway.Telemetry.Cardinality;

/// <summary><c>Glassbox:Metrics:MaxValuesPerDimension</c>: how many distinct values a request-controlled metric dimension may take.</summary>
public sealed class MetricDimensionOptions
{
    public const string SectionName = "Glassbox:Metrics";

    /// <summary>Past it, new values of <c>gen_ai.request.model</c> / <c>gen_ai.response.model</c> are recorded as <c>_other</c>.</summary>
    public int MaxValuesPerDimension { get; set; } = 200;
}
