using System.Globalization;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Pricing;

/// <summary>Binds <c>Glassbox:Prices</c>: every child is a model price except the reserved <c>File</c> and <c>FileCheckInterval</c>.</summary>
internal sealed class PricingOptionsSetup(IConfiguration configuration) : IConfigureOptions<PricingOptions>
{
    public const string SectionPath = "Glassbox:Prices";
    private const string FileKey = "File";
    private const string FileCheckIntervalKey = "FileCheckInterval";

    public void Configure(PricingOptions options)
    {
        var section = configuration.GetSection(SectionPath);
        options.File = section[FileKey] is { Length: > 0 } file ? file : null;
        if (section[FileCheckIntervalKey] is { Length: > 0 } interval)
        {
            options.FileCheckInterval = TimeSpan.TryParse(interval, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new OptionsValidationException(nameof(PricingOptions), typeof(PricingOptions),
                    [$"{SectionPath}:{FileCheckIntervalKey} must be a TimeSpan such as 00:00:10, not '{interval}'."]);
        }

        foreach (var child in section.GetChildren())
        {
            if (child.Key is FileKey or FileCheckIntervalKey)
            {
                continue;
            }

            options.Prices[child.Key] = child.Get<ModelPrice>() ?? new ModelPrice();
        }
    }
}
