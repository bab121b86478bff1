using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Pricing;

/// <summary>Refuses negative prices and a non-positive file check interval at start-up, naming the key.</summary>
internal sealed class PricingOptionsValidator : IValidateOptions<PricingOptions>
{
    public ValidateOptionsResult Validate(string? name, PricingOptions options)
    {
        var failures = new List<string>();
        if (options.FileCheckInterval <= TimeSpan.Zero)
        {
            failures.Add($"{PricingOptionsSetup.SectionPath}:FileCheckInterval must be positive.");
        }

        foreach (var (model, price) in options.Prices)
        {
            if (price.Input < 0 || price.Output < 0 || price.CacheRead < 0 || price.CacheWrite < 0
                || price.LongContextInput < 0 || price.LongContextOutput < 0 || price.LongContextCacheRead < 0 || price.LongContextCacheWrite < 0)
            {
                failures.Add($"{PricingOptionsSetup.SectionPath}:{model}: prices must not be negative.");
            }

            if (price.LongContextThreshold <= 0)
            {
                failures.Add($"{PricingOptionsSetup.SectionPath}:{model}:LongContextThreshold must be positive.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
