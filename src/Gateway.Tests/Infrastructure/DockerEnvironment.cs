using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>Finds out, once per test run, whether container tests can run here.</summary>
internal static partial class DockerEnvironment
{
    private const string DefaultSocket = "/var/run/docker.sock";

    private static readonly Lazy<string?> Reason = new(() => Task.Run(FindSkipReasonAsync).GetAwaiter().GetResult());

    /// <summary>Null when Docker is usable; otherwise why container tests are skipped.</summary>
    public static string? SkipReason => Reason.Value;

    private static async Task<string?> FindSkipReasonAsync()
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        string socketPath;
        if (string.IsNullOrEmpty(dockerHost))
        {
            socketPath = DefaultSocket;
        }
        else if (dockerHost.StartsWith("unix://", StringComparison.Ordinal))
        {
            socketPath = dockerHost["unix://".Length..];
        }
        else
        {
            return $"Docker tests skipped: only a unix-socket DOCKER_HOST is supported here (DOCKER_HOST={dockerHost}).";
        }

        if (!File.Exists(socketPath))
        {
            return $"Docker tests skipped: no Docker engine socket at {socketPath}.";
        }

        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        {
            BaseAddress = new Uri("http://docker/"),
            Timeout = TimeSpan.FromSeconds(5),
        };

        try
        {
            using var ping = await http.GetAsync(new Uri("_ping", UriKind.Relative));
            if (!ping.IsSuccessStatusCode)
            {
                return $"Docker tests skipped: the engine at {socketPath} answered /_ping with {(int)ping.StatusCode}.";
            }

            if (!OnPath("docker"))
            {
                return "Docker tests skipped: the engine answers but the docker command line is not on PATH.";
            }

            // The Dockerfile's own base images, or local stand-ins of them, or the means to build those.
            var missing = new List<string>();
            foreach (var image in DockerfileBaseImages().Concat(StandInImages()))
            {
                using var inspect = await http.GetAsync(new Uri($"images/{image}/json", UriKind.Relative));
                if (inspect.StatusCode == HttpStatusCode.NotFound)
                {
                    missing.Add(image);
                }
            }

            var haveOriginals = !DockerfileBaseImages().Any(missing.Contains);
            var haveStandIns = !StandInImages().Any(missing.Contains);
            if (!haveOriginals && !haveStandIns && !(Environment.UserName == "root" && (OnPath("debootstrap") || File.Exists("/usr/sbin/debootstrap"))))
            {
                return $"Docker tests skipped: base images {string.Join(", ", missing)} are not present, no registry is reachable, and local stand-ins cannot be built (that needs root and debootstrap).";
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException or IOException)
        {
            return $"Docker tests skipped: the engine at {socketPath} does not answer ({ex.GetType().Name}: {ex.Message}).";
        }

        return null;
    }

    private static IEnumerable<string> StandInImages() =>
        DockerfileBaseImages().Select(image => ContainerImages.StandInRegistry + image[image.IndexOf('/', StringComparison.Ordinal)..]);

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, command)));

    /// <summary>The images that the Dockerfile's FROM lines pull, with global ARG defaults substituted.</summary>
    internal static List<string> DockerfileBaseImages()
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        var stageNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var images = new List<string>();
        foreach (var raw in File.ReadLines(RepositoryRoot.Combine("Dockerfile")))
        {
            var line = raw.Trim();
            var arg = GlobalArg().Match(line);
            if (arg.Success && images.Count == 0)
            {
                args[arg.Groups[1].Value] = arg.Groups[2].Value;
                continue;
            }

            var from = FromLine().Match(line);
            if (!from.Success)
            {
                continue;
            }

            var image = ArgReference().Replace(from.Groups[1].Value, m => args.GetValueOrDefault(m.Groups[1].Value, string.Empty));
            if (!stageNames.Contains(image) && !images.Contains(image))
            {
                images.Add(image);
            }

            if (from.Groups[2].Success)
            {
                stageNames.Add(from.Groups[2].Value);
            }
        }

        return images;
    }

    [GeneratedRegex(@"^ARG\s+(\w+)=(\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex GlobalArg();

    [GeneratedRegex(@"^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"\$\{?(\w+)\}?")]
    private static partial Regex ArgReference();
}
