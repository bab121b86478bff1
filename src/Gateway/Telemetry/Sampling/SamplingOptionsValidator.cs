using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Telemetry.Sampling;

/// <summary>The <c>Glassbox:Sampling</c> limits; a value out of range stops start-up naming its key.</summary>
internal sealed class SamplingOptionsValidator : IValidateOptions<SamplingOptions>
{
    private static readonly TimeSpan LongestKeepSlowerThan = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, SamplingOptions options)
    {
        var failures = new List<string>();
        if (options.KeepSlowerThan < TimeSpan.Zero || options.KeepSlowerThan > LongestKeepSlowerThan)
        {
            failures.Add($"{SamplingOptions.SectionName}:KeepSlowerThan must be between 00:00:00 and 1.00:00:00 (was {options.KeepSlowerThan}).");
        }

        if (options.MaxPendingTraces is < 1 or > 10_000_000)
        {
            failures.Add($"{SamplingOptions.SectionName}:MaxPendingTraces must be between 1 and 10000000 (was {options.MaxPendingTraces}).");
        }

        if (options.MaxSpansPerTrace is < 1 or > 1_000_000)
        {
            failures.Add($"{SamplingOptions.SectionName}:MaxSpansPerTrace must be between 1 and 1000000 (was {options.MaxSpansPerTrace}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
