using System.Diagnostics;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>The docker command line (the engine of DOCKER_HOST): builds, runs, inspects, stops.</summary>
internal static class DockerCli
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string Trimmed => Output.Trim();
    }

    /// <summary>Runs docker; fails the test with its output when it does not exit 0 (unless <paramref name="check"/> is false).</summary>
    public static async Task<Result> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null, bool check = true, string? workingDirectory = null)
    {
        var args = arguments.ToList();
        var start = new ProcessStartInfo("docker", args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? RepositoryRoot.Path,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"docker {string.Join(' ', args)} did not finish within {(timeout ?? TimeSpan.FromMinutes(2)).TotalSeconds:0} s.");
        }

        var result = new Result(process.ExitCode, await output, await error);
        if (check && result.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"docker {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Output}\n{result.Error}");
        }

        return result;
    }

    public static Task<Result> RunAsync(params string[] arguments) => RunAsync(arguments, null);

    /// <summary>Removes a container whatever its state; never fails.</summary>
    public static async Task RemoveAsync(string name) => await RunAsync(["rm", "-f", name], TimeSpan.FromSeconds(30), check: false);
}
