using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Attribution;

/// <summary>Refuses at start-up what would make attribution or its metrics unbounded or meaningless, naming the key.</summary>
internal sealed class AttributionOptionsValidator : IValidateOptions<AttributionOptions>
{
    private const int MaxValuesCeiling = 10_000;

    public ValidateOptionsResult Validate(string? name, AttributionOptions options)
    {
        var failures = new List<string>();
        if (options.MaxValuesPerDimension is < 1 or > MaxValuesCeiling)
        {
            failures.Add($"{AttributionOptions.SectionName}:MaxValuesPerDimension must be between 1 and {MaxValuesCeiling}.");
        }

        foreach (var dimension in options.EffectiveMetricDimensions)
        {
            if (!AttributionNames.IsAttribute(dimension))
            {
                failures.Add($"{AttributionOptions.SectionName}:MetricDimensions: '{dimension}' is not an attribution attribute "
                    + "(glassbox.app, glassbox.endpoint, user.id, glassbox.api_key.id, glassbox.api_key.alias or glassbox.tag.{name}).");
            }
        }

        foreach (var key in options.BaggageKeys)
        {
            if (AttributionReader.CleanTagName(key) != key)
            {
                failures.Add($"{AttributionOptions.SectionName}:BaggageKeys: '{key}' must be lower case letters, digits, '_', '-' or '.' (at most 64).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
