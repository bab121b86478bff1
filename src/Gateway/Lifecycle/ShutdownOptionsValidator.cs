using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Lifecycle;

/// <summary>Both durations bounded, so that their sum stays a usable host shutdown timeout.</summary>
internal sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, ShutdownOptions options)
    {
        var failures = new List<string>();
        if (options.DrainTimeout <= TimeSpan.Zero || options.DrainTimeout > Longest)
        {
            failures.Add($"{ShutdownOptions.SectionName}:DrainTimeout must be more than 00:00:00 and at most 1.00:00:00 (was {options.DrainTimeout}).");
        }

        if (options.DrainDelay < TimeSpan.Zero || options.DrainDelay > Longest)
        {
            failures.Add($"{ShutdownOptions.SectionName}:DrainDelay must be between 00:00:00 and 1.00:00:00 (was {options.DrainDelay}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
