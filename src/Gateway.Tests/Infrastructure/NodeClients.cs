using System.Diagnostics;
using System.Text.Json;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// The official JavaScript SDKs in <c>src/Gateway.Tests/Clients/Node</c>, run with the machine's Node.js.
/// They are installed with <c>npm ci</c> once per test run when missing; without Node.js or npm, or when the
/// install fails, the tests that need them are skipped with the reason.
/// </summary>
internal static class NodeClients
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<string?> Reason = new(FindSkipReason);

    public static string Folder { get; } = System.IO.Path.Combine(RepositoryRoot.Path, "src", "Gateway.Tests", "Clients", "Node");

    /// <summary>Null when the SDKs can run; otherwise why the tests that need them are skipped.</summary>
    public static string? SkipReason => Reason.Value;

    /// <summary>Runs <paramref name="script"/> with one JSON argument and parses the one JSON line it prints.</summary>
    public static async Task<JsonElement> RunAsync(string script, object request)
    {
        var (exitCode, stdout, stderr) = await RunProcessAsync("node", [script, JsonSerializer.Serialize(request)], CallTimeout);
        Assert.True(exitCode == 0, $"node {script} exited {exitCode}: {stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static string? FindSkipReason()
    {
        try
        {
            if (RunProcessAsync("node", ["--version"], TimeSpan.FromSeconds(20)).GetAwaiter().GetResult().ExitCode != 0)
                return "Node.js SDK tests skipped: `node --version` failed.";
            if (Dependencies().All(name => Directory.Exists(System.IO.Path.Combine(Folder, "node_modules", name))))
                return null;
            var (exitCode, _, stderr) = RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund"], InstallTimeout).GetAwaiter().GetResult();
            return exitCode == 0 ? null : $"Node.js SDK tests skipped: `npm ci` in {Folder} failed ({exitCode}): {Tail(stderr)}";
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return $"Node.js SDK tests skipped: node or npm could not be started ({exception.Message}).";
        }
    }

    /// <summary>The package names package.json depends on.</summary>
    private static IEnumerable<string> Dependencies()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(Folder, "package.json")));
        return [.. manifest.RootElement.GetProperty("dependencies").EnumerateObject().Select(d => d.Name)];
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunProcessAsync(string file, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, await stdout, $"timed out after {timeout.TotalSeconds:0} s. " + await stderr);
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Tail(string text) => text.Length <= 400 ? text.Trim() : text[^400..].Trim();
}
