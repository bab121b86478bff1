using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Glassbox.Gateway.Tests.Infrastructure.Audit;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway as its own process (<c>dotnet Glassbox.Gateway.dll</c> from the build output, or the published executable
/// named by <see cref="ExternalBinaryVariable"/>), as an operator runs it: real signals, real exit code, real host
/// shutdown. Output lines are kept for assertions and diagnostics.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private GatewayProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Path of a published gateway executable (the Native AOT build): every gateway process runs it instead.</summary>
    public const string ExternalBinaryVariable = "GLASSBOX_GATEWAY_BINARY";

    /// <summary>The published executable the tests run against, or null for the build output next to the tests.</summary>
    public static string? ExternalBinary => Environment.GetEnvironmentVariable(ExternalBinaryVariable) is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    public string Output => string.Join('\n', _output);

    public IEnumerable<string> Lines => _output;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The gateway's build output next to this test build (same configuration).</summary>
    public static string AssemblyPath
    {
        get
        {
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var (framework, configuration) = (testOutput.Name, testOutput.Parent!.Name);
            return RepositoryRoot.Combine("src", "Gateway", "bin", configuration, framework, "Glassbox.Gateway.dll");
        }
    }

    public static async Task<GatewayProcess> StartAsync(IDictionary<string, string> environment)
    {
        var port = FreePort();
        var binary = ExternalBinary;
        var start = binary is null
            ? new ProcessStartInfo("dotnet", [AssemblyPath, "--urls", $"http://127.0.0.1:{port}"])
            : new ProcessStartInfo(binary, ["--urls", $"http://127.0.0.1:{port}"]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetDirectoryName(binary ?? AssemblyPath)!;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        TelemetryRecord.Suite.AddGateway(source: null, environment.Any(e => e.Key is "Glassbox__CaptureMessageContent" or "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
            && string.Equals(e.Value, "true", StringComparison.OrdinalIgnoreCase)));
        foreach (var (key, value) in environment.Where(e => TelemetryRecord.NamesASecret(e.Key)))
        {
            TelemetryRecord.Suite.AddSecret(value);
        }

        var gateway = new GatewayProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await gateway.WaitUntilReadyAsync();
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends SIGTERM, as Kubernetes, Docker and systemd do to stop a process.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Resident set size now (VmRSS), in bytes.</summary>
    public long RssBytes => StatusKilobytes("VmRSS:") * 1024;

    /// <summary>The highest resident set size the process ever had (VmHWM), in bytes.</summary>
    public long PeakRssBytes => StatusKilobytes("VmHWM:") * 1024;

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(new CancellationTokenSource(timeout).Token);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        TelemetryRecord.Suite.AddLogLines($"the gateway process on port {Port}", _output);

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"The gateway was not ready within 30 s:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    private long StatusKilobytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"{field} not in /proc/{_process.Id}/status");
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
