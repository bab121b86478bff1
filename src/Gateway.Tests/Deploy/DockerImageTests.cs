using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.Gateway.Tests.SimulatedUpstream;
using Xunit.Abstractions;

namespace Glassbox.Gateway.Tests.Deploy;

/// <summary>
/// Builds the real images from the repository's Dockerfile (on local stand-ins of its base images) and runs them on a
/// loopback-only engine: every container on <c>--network host</c> or another container's network namespace
/// (<c>--network container:NAME</c>, a pod's shared localhost). Skipped (see <see cref="DockerFactAttribute"/>) where
/// no engine can run.
/// </summary>
public sealed class DockerImageTests(ITestOutputHelper output)
{
    [Fact]
    public void Dockerfile_BaseImages_AreTheSdkAndForTheGatewayOnlyRuntimeDeps()
    {
        var images = DockerEnvironment.DockerfileBaseImages();
        Assert.Equal(3, images.Count);
        Assert.EndsWith("/dotnet/sdk:10.0", images[0], StringComparison.Ordinal);
        Assert.EndsWith("/dotnet/aspnet:10.0", images[1], StringComparison.Ordinal); // the simulator
        Assert.EndsWith("/dotnet/runtime-deps:10.0", images[2], StringComparison.Ordinal); // the gateway: no .NET runtime
    }

    [DockerFact]
    public async Task GatewayImage_RunsAsNonRoot_AnswersProbes_ProxiesAStreamToTheSimulatorImage()
    {
        await ContainerImages.EnsureBuiltAsync();
        var (simulatorPort, gatewayPort) = (FreePort(), FreePort());
        await using var simulator = await ContainerRun.StartAsync("glassbox-test-sim", ContainerImages.Simulator, ["--network", "host"], ["--urls", $"http://127.0.0.1:{simulatorPort}"]);
        await using var gateway = await ContainerRun.StartAsync("glassbox-test-gw", ContainerImages.Gateway,
        [
            "--network", "host", "-e", $"ASPNETCORE_URLS=http://127.0.0.1:{gatewayPort}",
            "-e", $"Glassbox__Upstreams__Anthropic__BaseUrl=http://127.0.0.1:{simulatorPort}",
            "-e", $"Glassbox__Upstreams__OpenAI__BaseUrl=http://127.0.0.1:{simulatorPort}",
        ]);
        await ContainerRun.WaitForHttpAsync(gateway, new Uri($"http://127.0.0.1:{gatewayPort}/healthz"));
        await ContainerRun.WaitForHttpAsync(simulator, new Uri($"http://127.0.0.1:{simulatorPort}/_sim/stats"));

        // Read from the host: the gateway image needs no shell or tools inside.
        Assert.NotEqual("0", await gateway.ProcessUidAsync());
        Assert.Equal("[/app/Glassbox.Gateway]", (await DockerCli.RunAsync("image", "inspect", "-f", "{{.Config.Entrypoint}}", ContainerImages.Gateway)).Trimmed);
        Assert.NotEqual("0", (await DockerCli.RunAsync("exec", simulator.Name, "id", "-u")).Trimmed);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayPort}/") };
        Assert.Equal("ok", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.Equal("ready", await http.GetStringAsync(new Uri("/readyz", UriKind.Relative)));

        (string, string)[] control = [("x-sim-id", "docker01"), ("x-sim-created", "1721631035"), ("x-sim-deltas", "6"), ("x-sim-delta-gap-ms", "20")];
        using var direct = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{simulatorPort}/") };
        var expected = await (await direct.SendAsync(AiRequests.Post("v1/messages", "docker-stream", stream: true, control))).Content.ReadAsByteArrayAsync();
        using var proxied = await http.SendAsync(AiRequests.Post("v1/messages", "docker-stream", stream: true, control));
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        Assert.Equal(expected, await proxied.Content.ReadAsByteArrayAsync());
        Assert.Contains("message_stop", Encoding.UTF8.GetString(expected), StringComparison.Ordinal);

        var size = long.Parse((await DockerCli.RunAsync("image", "inspect", "-f", "{{.Size}}", ContainerImages.Gateway)).Trimmed, CultureInfo.InvariantCulture);
        output.WriteLine($"gateway image {ContainerImages.Gateway}: {size / 1_000_000.0:0.0} MB; RSS of the running gateway after one streamed call: {await gateway.RssMebibytesAsync():0.0} MiB");
    }

    [DockerFact]
    public async Task SidecarPattern_AppInTheGatewaysNetworkNamespace_CallsLocalhost_SpanReachesOtlpBackend()
    {
        await ContainerImages.EnsureBuiltAsync();
        await using var upstream = await SimulatorHost.StartAsync();
        await using var dashboard = await AspireDashboard.StartAsync();
        var port = FreePort();
        var service = "glassbox-sidecar-" + Guid.NewGuid().ToString("N")[..8];
        await using var gateway = await ContainerRun.StartAsync("glassbox-test-sidecar", ContainerImages.Gateway, GatewayEnvironment(port, upstream, dashboard, service, drainTimeout: "00:00:05"));
        await ContainerRun.WaitForHttpAsync(gateway, new Uri($"http://127.0.0.1:{port}/readyz"));

        // The app container joins the gateway container's network namespace and calls it on localhost, as in a pod.
        var body = """{"model":"sidecar-app","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]}""";
        var curl = await DockerCli.RunAsync(
        [
            "run", "--rm", "--network", $"container:{gateway.Name}", ContainerImages.Sdk,
            "curl", "-sS", "-N", "--fail-with-body", $"http://localhost:{port}/v1/messages",
            "-H", "content-type: application/json", "-H", "x-api-key: sk-app", "-H", "anthropic-version: 2023-06-01",
            "-H", "x-sim-deltas: 5", "-d", body,
        ], TimeSpan.FromMinutes(1));
        Assert.Contains("event: message_stop", curl.Output, StringComparison.Ordinal);

        var span = await dashboard.WaitForSpanAsync(s => AspireDashboard.Attribute(s, "gen_ai.request.model") == "sidecar-app", service, TimeSpan.FromSeconds(30));
        Assert.Equal("completed", AspireDashboard.Attribute(span, "glassbox.end_reason"));
        Assert.Equal("5", AspireDashboard.Attribute(span, "gen_ai.usage.output_tokens"));
        output.WriteLine($"RSS of the running gateway container (OTLP export on) after one streamed call: {await gateway.RssMebibytesAsync():0.0} MiB");
    }

    [DockerFact]
    public async Task DockerStop_DuringAStream_StreamEndsAtDrainTimeout_SpanFlushed_ExitCodeZero()
    {
        await ContainerImages.EnsureBuiltAsync();
        await using var upstream = await SimulatorHost.StartAsync();
        await using var dashboard = await AspireDashboard.StartAsync();
        var port = FreePort();
        var service = "glassbox-stop-" + Guid.NewGuid().ToString("N")[..8];
        var drain = TimeSpan.FromSeconds(3);
        await using var gateway = await ContainerRun.StartAsync("glassbox-test-stop", ContainerImages.Gateway,
            [.. GatewayEnvironment(port, upstream, dashboard, service, drain.ToString()), "-e", "OTEL_BSP_SCHEDULE_DELAY=60000"]);
        await ContainerRun.WaitForHttpAsync(gateway, new Uri($"http://127.0.0.1:{port}/readyz"));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };

        using var response = await http.SendAsync(
            AiRequests.Post("v1/messages", "docker-stop", stream: true, ("x-sim-deltas", "300"), ("x-sim-delta-gap-ms", "100")), HttpCompletionOption.ResponseHeadersRead);
        var read = response.Content.ReadAsStringAsync();
        await Task.Delay(500);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stop = DockerCli.RunAsync(["stop", "-t", "60", gateway.Name], TimeSpan.FromSeconds(90));
        var text = await read;
        var streamEnded = clock.Elapsed;
        await stop;
        var stopped = clock.Elapsed;
        output.WriteLine($"docker stop → stream ended {streamEnded.TotalSeconds:0.000} s, container stopped {stopped.TotalSeconds:0.000} s (drain timeout {drain.TotalSeconds} s)");

        Assert.StartsWith("event: error\ndata: ", text.TrimEnd().Split("\n\n")[^1], StringComparison.Ordinal);
        Assert.InRange(streamEnded, drain - TimeSpan.FromMilliseconds(300), drain + TimeSpan.FromSeconds(5));
        Assert.Equal("0", (await DockerCli.RunAsync("inspect", "-f", "{{.State.ExitCode}}", gateway.Name)).Trimmed);
        var span = await dashboard.WaitForSpanAsync(s => AspireDashboard.Attribute(s, "gen_ai.request.model") == "docker-stop", service, TimeSpan.FromSeconds(30));
        Assert.Equal("shutdown", AspireDashboard.Attribute(span, "glassbox.end_reason"));
    }

    private static string[] GatewayEnvironment(int port, SimulatorHost upstream, AspireDashboard dashboard, string service, string drainTimeout) =>
    [
        "--network", "host",
        "-e", $"ASPNETCORE_URLS=http://127.0.0.1:{port}",
        "-e", $"Glassbox__Upstreams__Anthropic__BaseUrl={upstream.BaseAddress.ToString().TrimEnd('/')}",
        "-e", $"Glassbox__Upstreams__OpenAI__BaseUrl={upstream.BaseAddress.ToString().TrimEnd('/')}",
        "-e", $"Glassbox__Shutdown__DrainTimeout={drainTimeout}",
        "-e", $"OTEL_EXPORTER_OTLP_ENDPOINT={dashboard.OtlpGrpcEndpoint}",
        "-e", "OTEL_EXPORTER_OTLP_PROTOCOL=grpc",
        "-e", $"OTEL_SERVICE_NAME={service}",
    ];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
