namespace Glassbox.Gateway.Attribution;

/// <summary>The <c>Glassbox:Attribution</c> section: who a call is for, and which of it the metrics may split by.</summary>
public sealed class AttributionOptions
{
    public const string SectionName = "Glassbox:Attribution";

    public static readonly IReadOnlyList<string> DefaultMetricDimensions = ["glassbox.app", "glassbox.endpoint", "glassbox.api_key.alias"];

    /// <summary>Further <c>baggage</c> keys recorded as <c>glassbox.tag.{key}</c>.</summary>
    public List<string> BaggageKeys { get; } = [];

    /// <summary>Secret of the keyed hash behind <c>glassbox.api_key.id</c>; unset: an unkeyed SHA-256.</summary>
    public string? KeyIdSecret { get; set; }

    /// <summary><c>glassbox.api_key.id</c> → a readable name (<c>team-search</c>), recorded as <c>glassbox.api_key.alias</c>.</summary>
    public Dictionary<string, string> KeyAliases { get; } = new(StringComparer.Ordinal);

    /// <summary>Attribution attributes the call metrics carry; null means <see cref="DefaultMetricDimensions"/>.</summary>
    public List<string>? MetricDimensions { get; set; }

    /// <summary>Distinct values each attribution dimension may take in the metrics before the rest become <c>_other</c>.</summary>
    public int MaxValuesPerDimension { get; set; } = 100;

    public IReadOnlyList<string> EffectiveMetricDimensions => MetricDimensions ?? DefaultMetricDimensions;
}
