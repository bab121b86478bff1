namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// The images of the repository's Dockerfile, built once per test run on local stand-ins of its base images
/// (no registry is reachable here): deploy/docker/stand-in-base-images.sh tags them under <see cref="StandInRegistry"/>,
/// the DOTNET_IMAGE_REGISTRY build argument points the real Dockerfile at them.
/// </summary>
internal static class ContainerImages
{
    public const string StandInRegistry = "glassbox.local";
    public const string Gateway = "glassbox/gateway:test";
    public const string Simulator = "glassbox/simulated-upstream:test";

    /// <summary>The stand-in SDK image ships curl, as the real one does: the "app" of the sidecar tests.</summary>
    public const string Sdk = StandInRegistry + "/dotnet/sdk:10.0";

    private static readonly Lazy<Task> Built = new(BuildAsync);

    public static Task EnsureBuiltAsync() => Built.Value;

    private static async Task BuildAsync()
    {
        await RunScriptAsync();
        foreach (var (target, tag) in new[] { ("gateway", Gateway), ("simulator", Simulator) })
        {
            // Host network for the build: the restore step reaches the package feed the way this machine does.
            await DockerCli.RunAsync(
                ["build", "--network", "host", "--build-arg", $"DOTNET_IMAGE_REGISTRY={StandInRegistry}", "--target", target, "-t", tag, "."],
                TimeSpan.FromMinutes(15)); // the gateway stage compiles Native AOT: minutes on a busy 2-core machine
        }
    }

    private static async Task RunScriptAsync()
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash", [RepositoryRoot.Combine("deploy", "docker", "stand-in-base-images.sh"), StandInRegistry])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(10)).Token);
        if (process.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"stand-in-base-images.sh failed ({process.ExitCode}):\n{await output}\n{await error}");
        }
    }
}
