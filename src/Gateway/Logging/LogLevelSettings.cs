using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Logging;

/// <summary>
/// Log levels from the <c>Serilog:MinimumLevel</c> keys the gateway has always read (<c>Default</c>, or the section's
/// own value, and <c>Override:{category prefix}</c>), with Serilog's level names, applied as logging filter rules.
/// They win over the standard <c>Logging:LogLevel</c> keys, which work too. A level that is not one of the names
/// stops start-up, naming the key.
/// </summary>
internal sealed class LogLevelSettings(IConfiguration configuration) : IConfigureOptions<LoggerFilterOptions>
{
    public const string SectionName = "Serilog:MinimumLevel";

    public void Configure(LoggerFilterOptions options)
    {
        var section = configuration.GetSection(SectionName);
        if (section.Value is { Length: > 0 } plain)
        {
            AddDefault(options, Parse($"{SectionName}", plain));
        }

        if (section["Default"] is { Length: > 0 } level)
        {
            AddDefault(options, Parse($"{SectionName}:Default", level));
        }

        foreach (var category in section.GetSection("Override").GetChildren())
        {
            if (category.Value is { Length: > 0 } value)
            {
                options.Rules.Add(new LoggerFilterRule(providerName: null, category.Key, Parse($"{SectionName}:Override:{category.Key}", value), filter: null));
            }
        }
    }

    /// <summary>Serilog's names (and the logging framework's own), case-insensitive.</summary>
    public static LogLevel Parse(string key, string value) => value.Trim().ToUpperInvariant() switch
    {
        "VERBOSE" or "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "INFORMATION" => LogLevel.Information,
        "WARNING" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "FATAL" or "CRITICAL" => LogLevel.Critical,
        "NONE" => LogLevel.None,
        _ => throw new OptionsValidationException(key, typeof(LoggerFilterOptions),
            [$"{key} '{value}' is not a log level (Verbose, Debug, Information, Warning, Error, Fatal)."]),
    };

    private static void AddDefault(LoggerFilterOptions options, LogLevel level)
    {
        options.MinLevel = level;
        options.Rules.Add(new LoggerFilterRule(providerName: null, categoryName: null, level, filter: null));
    }
}
