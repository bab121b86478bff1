using System.Diagnostics;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>Teardown shared by the external servers the tests start (nginx, Prometheus): the process and its scratch folder.</summary>
internal static class ServerProcess
{
    /// <summary>Kills the process if it still runs, waits for it, and removes its folder (best effort: a temp folder).</summary>
    public static async Task StopAsync(Process process, string directory)
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Temp files left behind are harmless.
        }
    }
}
