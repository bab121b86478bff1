using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Telemetry.Cardinality;

/// <summary>A cap between 1 and 100,000 distinct values per dimension.</summary>
internal sealed class MetricDimensionOptionsValidator : IValidateOptions<MetricDimensionOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricDimensionOptions options) =>
        options.MaxValuesPerDimension is < 1 or > 100_000
            ? ValidateOptionsResult.Fail($"{MetricDimensionOptions.SectionName}:MaxValuesPerDimension must be between 1 and 100000 (was {options.MaxValuesPerDimension}).")
            : ValidateOptionsResult.Success;
}
