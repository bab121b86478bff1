using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace Glassbox.Demo;

/// <summary>The three ports of the dashboard; 0 means "any free loopback port".</summary>
internal readonly record struct DashboardPorts(int Ui, int OtlpGrpc, int OtlpHttp)
{
    /// <summary>The ports the demo (and docs/aspire-dashboard.md) use by default.</summary>
    public static DashboardPorts Default => new(18888, 18889, 18890);

    /// <summary>Free ports chosen by the OS (tests).</summary>
    public static DashboardPorts Any => new(0, 0, 0);
}

/// <summary>
/// The standalone Aspire dashboard (trace viewer, OTLP backend and JSON query API) as a local process — no
/// Docker. The executable comes from the NuGet package Aspire.Dashboard.Sdk.linux-x64, downloaded at restore
/// time by a PackageDownload in Demo.csproj, and is looked up in this machine's NuGet packages folder at run
/// time (override: env <c>ASPIRE_DASHBOARD_PATH</c>).
/// The one launcher of the repository: the demo uses it, and so does the tests' <c>AspireDashboard</c>.
/// </summary>
internal sealed class AspireDashboardProcess : IAsyncDisposable
{
    public const string PathOverrideVariable = "ASPIRE_DASHBOARD_PATH";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly HttpClient _probe;
    private readonly EventHandler _killOnExit;
    private int _disposed;

    private AspireDashboardProcess(Process process, StringBuilder output, DashboardPorts ports)
    {
        _process = process;
        _output = output;
        Ports = ports;
        BaseAddress = new Uri($"http://127.0.0.1:{ports.Ui}/");
        OtlpGrpcEndpoint = new Uri($"http://127.0.0.1:{ports.OtlpGrpc}");
        OtlpHttpEndpoint = new Uri($"http://127.0.0.1:{ports.OtlpHttp}");
        _probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        Api = new DashboardApi(BaseAddress, () => Output);
        _killOnExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += _killOnExit;
    }

    /// <summary>The ports actually in use.</summary>
    public DashboardPorts Ports { get; }

    /// <summary>The dashboard UI and query API, e.g. http://127.0.0.1:18888/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>OTLP over gRPC, for an exporter with <c>OtlpExportProtocol.Grpc</c> (the .NET default).</summary>
    public Uri OtlpGrpcEndpoint { get; }

    /// <summary>OTLP over HTTP (protobuf or JSON), base address of <c>/v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>.</summary>
    public Uri OtlpHttpEndpoint { get; }

    /// <summary>The query API (<c>/api/telemetry/…</c>).</summary>
    public DashboardApi Api { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Completes when the dashboard process ends (or <paramref name="cancellationToken"/> fires).</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>The dashboard's stdout and stderr so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The dashboard executable: $ASPIRE_DASHBOARD_PATH, else the package's place in this machine's NuGet packages folder.</summary>
    public static string ExecutablePath => ResolveExecutablePath(Environment.GetEnvironmentVariable);

    /// <summary>
    /// Where the dashboard executable is, given the environment: the override, else the package (id/version
    /// baked into this assembly, never a path) under <c>$NUGET_PACKAGES</c> or <c>~/.nuget/packages</c>, as NuGet restores it.
    /// </summary>
    public static string ResolveExecutablePath(Func<string, string?> environment)
    {
        var overridden = environment(PathOverrideVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            return overridden;
        }

        var package = typeof(AspireDashboardProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "AspireDashboardPackage")?.Value
            ?? throw new InvalidOperationException("Glassbox.Demo carries no AspireDashboardPackage metadata; see Demo.csproj.");
        var packages = environment("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(packages, package, "tools", "Aspire.Dashboard");
    }

    /// <summary>
    /// Starts the dashboard and waits (≤ 30 s) until its API and both OTLP ports answer. Each preferred port
    /// that is 0 or already taken is replaced by a free one; compare <see cref="Ports"/> to see what was used.
    /// </summary>
    public static async Task<AspireDashboardProcess> StartAsync(DashboardPorts preferred, CancellationToken cancellationToken = default)
    {
        var path = ExecutablePath;
        EnsureExecutable(path);

        // Free ports are found by binding port 0 and letting go, so another process may take one in between:
        // a dashboard that dies at startup is retried on new ports.
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var ports = attempt == 1
                ? new DashboardPorts(Choose(preferred.Ui), Choose(preferred.OtlpGrpc), Choose(preferred.OtlpHttp))
                : new DashboardPorts(FreePort(), FreePort(), FreePort());
            var dashboard = Launch(path, ports);
            try
            {
                await dashboard.WaitUntilReadyAsync(cancellationToken);
                return dashboard;
            }
            catch (Exception) when (attempt < attempts && dashboard._process.HasExited && !cancellationToken.IsCancellationRequested)
            {
                await dashboard.DisposeAsync();
            }
            catch
            {
                await dashboard.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>True if nothing listens on the loopback port (and we may bind it).</summary>
    public static bool IsPortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A loopback port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _killOnExit;
        _probe.Dispose();
        Api.Dispose();
        Kill();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed but slow to go; nothing more to do.
        }

        _process.Dispose();
    }

    private static int Choose(int preferred) => preferred != 0 && IsPortFree(preferred) ? preferred : FreePort();

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static AspireDashboardProcess Launch(string path, DashboardPorts ports)
    {
        var startInfo = new ProcessStartInfo(path)
        {
            WorkingDirectory = Path.GetDirectoryName(path)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        var env = startInfo.Environment;
        // Keep the host's own ASP.NET Core and OpenTelemetry settings from leaking into the dashboard.
        foreach (var key in env.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                                              || k.StartsWith("DOTNET_DASHBOARD", StringComparison.OrdinalIgnoreCase)
                                              || k.StartsWith("DASHBOARD__", StringComparison.OrdinalIgnoreCase)
                                              || k.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            env.Remove(key);
        }

        env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ports.Ui}";
        env["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{ports.OtlpGrpc}";
        env["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{ports.OtlpHttp}";
        env["DASHBOARD__FRONTEND__AUTHMODE"] = "Unsecured";
        env["DASHBOARD__OTLP__AUTHMODE"] = "Unsecured";
        env["DASHBOARD__API__AUTHMODE"] = "Unsecured";

        var output = new StringBuilder();
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start the Aspire dashboard at {path}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new AspireDashboardProcess(process, output, ports);

        static void Append(StringBuilder output, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string? lastProblem = null;
        while (clock.Elapsed < StartupTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The Aspire dashboard exited during startup with code {_process.ExitCode}.\nOutput:\n{Output}");
            }

            try
            {
                using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, probe.Token);
                using var response = await _probe.GetAsync(new Uri("api/telemetry/traces?limit=1", UriKind.Relative), linked.Token);
                if (response.IsSuccessStatusCode
                    && await AcceptsAsync(OtlpGrpcEndpoint, linked.Token)
                    && await AcceptsAsync(OtlpHttpEndpoint, linked.Token))
                {
                    return;
                }

                lastProblem = $"API answered {(int)response.StatusCode} or an OTLP port is not yet listening";
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                lastProblem = ex.Message;
            }

            await Task.Delay(150, cancellationToken);
        }

        throw new TimeoutException(
            $"The Aspire dashboard did not answer within {StartupTimeout.TotalSeconds:0} s ({lastProblem}).\nOutput:\n{Output}");
    }

    private static async Task<bool> AcceptsAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void EnsureExecutable(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The Aspire dashboard executable is missing at {path}. It comes from the NuGet package Aspire.Dashboard.Sdk.linux-x64 " +
                $"(PackageDownload in src/Demo/Demo.csproj): run 'dotnet restore', or set {PathOverrideVariable}.", path);
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // NuGet extraction may drop the executable bit.
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | execute);
        }
    }
}
