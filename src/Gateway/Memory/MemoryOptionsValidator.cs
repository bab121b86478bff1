using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Memory;

/// <summary>0 (off) or a period between one second and a day.</summary>
internal sealed class MemoryOptionsValidator : IValidateOptions<MemoryOptions>
{
    private static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, MemoryOptions options) =>
        options.IdleTrimAfter == TimeSpan.Zero || (options.IdleTrimAfter >= Shortest && options.IdleTrimAfter <= Longest)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{MemoryOptions.SectionName}:IdleTrimAfter must be 00:00:00 (off) or between 00:00:01 and 1.00:00:00 (was {options.IdleTrimAfter}).");
}
