using System.Diagnostics;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// Finds Prometheus's binaries (Debian's <c>prometheus</c> package ships both; <c>.ci/run</c> installs it).
/// Tests that need one skip, with this reason, only when it is not on the PATH.
/// </summary>
internal static class PrometheusTools
{
    public static string? Promtool { get; } = Find("promtool");

    public static string? Prometheus { get; } = Find("prometheus");

    public static string? SkipReason(string binary) =>
        (binary == "promtool" ? Promtool : Prometheus) is null
            ? $"'{binary}' is not on the PATH (install Debian's 'prometheus' package; .ci/run does)."
            : null;

    /// <summary>Runs a binary to completion and returns its exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string binary, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(binary)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string? Find(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A fact skipped, with the reason, when a Prometheus binary is missing (xunit 2: decided at discovery).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute(string binary)
    {
        if (PrometheusTools.SkipReason(binary) is { } reason)
        {
            Skip = reason;
        }
    }
}
