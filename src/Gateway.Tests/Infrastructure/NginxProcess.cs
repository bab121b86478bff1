using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// A real nginx (Debian's package), started in the foreground on a loopback port with a configuration generated
/// from the server block of <c>deploy/ingress/nginx.conf</c>: only its listen address and upstream server are
/// replaced. Single process (no worker user switching), so it runs the same as root or not; stopped by its pid.
/// </summary>
internal sealed partial class NginxProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private NginxProcess(Process process, string directory, IPEndPoint endpoint)
    {
        _process = process;
        _directory = directory;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    public Uri BaseAddress => new($"http://{Endpoint}/");

    /// <summary>Null when nginx can be started here; otherwise why nginx tests are skipped.</summary>
    public static string? SkipReason { get; } = FindNginx() is null ? "nginx is not installed (apt-get install nginx; .ci/run does it)." : null;

    /// <summary>Starts nginx on <paramref name="listenAddress"/> (a free port) in front of <paramref name="gateway"/>.</summary>
    public static async Task<NginxProcess> StartAsync(IPAddress listenAddress, Uri gateway)
    {
        var directory = Directory.CreateTempSubdirectory("glassbox-nginx-").FullName;
        var port = FreePort(listenAddress);
        var endpoint = new IPEndPoint(listenAddress, port);
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, MainConfig(directory, ServerBlock(endpoint, gateway)));

        var start = new ProcessStartInfo(FindNginx()!, ["-e", Path.Combine(directory, "error.log"), "-p", directory, "-c", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start)!;
        var nginx = new NginxProcess(process, directory, endpoint);
        try
        {
            await nginx.WaitUntilListeningAsync();
            return nginx;
        }
        catch
        {
            await nginx.DisposeAsync();
            throw;
        }
    }

    /// <summary>The repository's server block, listening on <paramref name="endpoint"/> and proxying to <paramref name="gateway"/>.</summary>
    internal static string ServerBlock(IPEndPoint endpoint, Uri gateway)
    {
        var text = File.ReadAllText(RepositoryRoot.Combine("deploy", "ingress", "nginx.conf"));
        Assert.Single(ListenLine().Matches(text));
        Assert.Single(UpstreamServerLine().Matches(text));
        text = ListenLine().Replace(text, $"listen {endpoint};");
        return UpstreamServerLine().Replace(text, $"server {gateway.Host}:{gateway.Port};");
    }

    public async ValueTask DisposeAsync() => await ServerProcess.StopAsync(_process, _directory);

    private static string MainConfig(string directory, string serverBlock) => $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log warn;
        events { worker_connections 256; }
        http {
            access_log off;
            client_body_temp_path {{directory}}/client_body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;
        {{serverBlock}}
        }
        """;

    private async Task WaitUntilListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                var log = File.Exists(Path.Combine(_directory, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(_directory, "error.log")) : "";
                throw new InvalidOperationException($"nginx exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()} {log}");
            }

            try
            {
                using var socket = new Socket(Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(Endpoint);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }
        }
    }

    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindNginx() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/sbin")
            .Select(dir => Path.Combine(dir, "nginx"))
            .FirstOrDefault(File.Exists);

    [GeneratedRegex(@"^\s*listen\s+[^;]+;", RegexOptions.Multiline)]
    private static partial Regex ListenLine();

    [GeneratedRegex(@"(?<=upstream\s+\w+\s*\{[^}]*?)\bserver\s+[^;]+;", RegexOptions.Singleline)]
    private static partial Regex UpstreamServerLine();
}
