using System.Net;
using System.Net.Sockets;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Deploy;

/// <summary>
/// Builds the real images from the repository's Dockerfile and runs them.
/// Skipped (see <see cref="DockerFactAttribute"/>) where no Docker engine or base image is available.
/// </summary>
public sealed class DockerImageTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(10);

    public DockerImageTests() => DockerEnvironment.ConfigureTestcontainers();

    [Fact]
    public void Dockerfile_BaseImages_AreTheDotnetSdkAndAspnetImages()
    {
        var images = DockerEnvironment.DockerfileBaseImages();
        Assert.Equal(2, images.Count);
        Assert.EndsWith("/dotnet/sdk:10.0", images[0], StringComparison.Ordinal);
        Assert.EndsWith("/dotnet/aspnet:10.0", images[1], StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task GatewayImage_RunsAsNonRoot_AndAnswersHealthz()
    {
        using var cts = new CancellationTokenSource(Budget);
        await using var image = await BuildAsync("gateway", cts.Token);
        await using var deleteImage = new DeleteOnDispose(image);
        var (container, baseAddress) = await StartAsync(image, 8080, listenOn: url => b => b.WithEnvironment("ASPNETCORE_URLS", url), cts.Token);
        await using (container)
        {
            using var http = new HttpClient { BaseAddress = baseAddress };
            using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), cts.Token);
            Assert.True(response.StatusCode == HttpStatusCode.OK,
                $"GET /healthz answered {(int)response.StatusCode}.\n{(await container.GetLogsAsync(ct: cts.Token)).Stdout}");

            await AssertRunsAsNonRootAsync(container, cts.Token);
        }
    }

    [DockerFact]
    public async Task SimulatorImage_RunsAsNonRoot_AndListensOn9100()
    {
        using var cts = new CancellationTokenSource(Budget);
        await using var image = await BuildAsync("simulator", cts.Token);
        await using var deleteImage = new DeleteOnDispose(image);
        var (container, baseAddress) = await StartAsync(image, 9100, listenOn: url => b => b.WithCommand("--urls", url), cts.Token);
        await using (container)
        {
            // The image's own CMD is "--urls http://+:9100"; any HTTP answer proves Kestrel listens.
            using var http = new HttpClient { BaseAddress = baseAddress };
            using var response = await http.GetAsync(new Uri("/", UriKind.Relative), cts.Token);
            Assert.True((int)response.StatusCode is >= 200 and < 500, $"GET / answered {(int)response.StatusCode}.");

            await AssertRunsAsNonRootAsync(container, cts.Token);
        }
    }

    private static async Task<IFutureDockerImage> BuildAsync(string target, CancellationToken cancellationToken)
    {
        var image = new ImageFromDockerfileBuilder()
            .WithDockerfileDirectory(RepositoryRoot.Path)
            .WithDockerfile("Dockerfile")
            .WithTarget(target)
            .WithName($"glassbox/{target}-test:{Guid.NewGuid():N}")
            .WithCleanUp(true)
            .WithDeleteIfExists(true)
            .Build();
        await image.CreateAsync(cancellationToken);
        return image;
    }

    /// <summary>
    /// Starts the image and waits until its HTTP port answers. With a bridge network the image's own port is
    /// published on a random host port; without one (an engine run with --bridge=none) the container shares the
    /// host network and <paramref name="listenOn"/> moves it to a free loopback port.
    /// </summary>
    private static async Task<(IContainer Container, Uri BaseAddress)> StartAsync(
        IFutureDockerImage image,
        int containerPort,
        Func<string, Func<ContainerBuilder, ContainerBuilder>> listenOn,
        CancellationToken cancellationToken)
    {
        var builder = new ContainerBuilder(image);
        int hostPort = 0;
        if (DockerEnvironment.HasBridgeNetwork)
        {
            builder = builder.WithPortBinding(containerPort, assignRandomHostPort: true);
        }
        else
        {
            hostPort = FreeLoopbackPort();
            builder = listenOn($"http://127.0.0.1:{hostPort}")(builder.WithCreateParameterModifier(p => p.HostConfig!.NetworkMode = "host"));
        }

        var container = builder.Build();
        try
        {
            await container.StartAsync(cancellationToken);
            var baseAddress = DockerEnvironment.HasBridgeNetwork
                ? new Uri($"http://{container.Hostname}:{container.GetMappedPublicPort(containerPort)}/")
                : new Uri($"http://127.0.0.1:{hostPort}/");
            await WaitForHttpAsync(container, baseAddress, cancellationToken);
            return (container, baseAddress);
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitForHttpAsync(IContainer container, Uri baseAddress, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var _ = await http.GetAsync(new Uri("/", UriKind.Relative), cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (DateTime.UtcNow > deadline || container.State == TestcontainersStates.Exited)
                {
                    var logs = await container.GetLogsAsync(ct: cancellationToken);
                    throw new TimeoutException($"The container never answered HTTP at {baseAddress}.\n{logs.Stdout}\n{logs.Stderr}", ex);
                }
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    private static async Task AssertRunsAsNonRootAsync(IContainer container, CancellationToken cancellationToken)
    {
        var id = await container.ExecAsync(["id", "-u"], cancellationToken);
        Assert.Equal(0, id.ExitCode);
        Assert.NotEqual("0", id.Stdout.Trim());
    }

    /// <summary>Ryuk (the reaper) is disabled here, so test images are deleted explicitly.</summary>
    private sealed class DeleteOnDispose(IFutureDockerImage image) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await image.DeleteAsync();
            }
            catch (Exception)
            {
                // Best effort: a leftover test image is harmless.
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
