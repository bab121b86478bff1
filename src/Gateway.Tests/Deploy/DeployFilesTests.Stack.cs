using System.Text.RegularExpressions;
using Glassbox.Gateway.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Glassbox.Gateway.Tests.Deploy;

/// <summary>
/// Static checks of the observability part of deploy/docker-compose.yml: every service the stack needs is there
/// with a pinned image, every mounted file exists, and the hosts and ports one file names are the ones another defines
/// (collector → Tempo, Prometheus → gateway, Grafana → Prometheus and Tempo, generator → gateway).
/// </summary>
public sealed partial class DeployFilesTests
{
    private static readonly string DeployDirectory = RepositoryRoot.Combine("deploy");

    [Fact]
    public void Compose_HasEveryServiceOfTheStack()
    {
        foreach (var service in new[] { "gateway", "simulated-upstream", "otel-collector", "tempo", "jaeger", "prometheus", "grafana", "traffic-generator" })
        {
            Assert.True(Services.Children.ContainsKey(service), $"Service '{service}' is missing.");
        }
    }

    [Fact]
    public void Compose_EveryPulledImage_HasAPinnedTag()
    {
        foreach (var (name, node) in Services.Children)
        {
            var service = (YamlMappingNode)node;
            if (service.Children.ContainsKey("build"))
            {
                continue;
            }

            var image = Scalar(service, "image");
            var tag = image.Contains(':', StringComparison.Ordinal) ? image[(image.LastIndexOf(':') + 1)..] : "";
            Assert.True(PinnedTag().IsMatch(tag), $"Service '{Text(name)}' image '{image}' is not pinned to a version tag.");
        }
    }

    [Fact]
    public void Compose_EveryMountedFile_Exists()
    {
        foreach (var (name, node) in Services.Children)
        {
            foreach (var volume in Strings((YamlMappingNode)node, "volumes").Where(v => v.StartsWith("./", StringComparison.Ordinal)))
            {
                var source = Path.GetFullPath(Path.Combine(DeployDirectory, volume.Split(':')[0]));
                Assert.True(File.Exists(source) || Directory.Exists(source), $"Service '{Text(name)}' mounts '{volume}', which does not exist.");
            }
        }
    }

    [Fact]
    public void Collector_TraceExporters_TargetTheTempoAndJaegerServices()
    {
        var exporters = Map(Load("otel-collector.yaml"), "exporters");
        foreach (var (exporter, image, port) in new[] { ("otlp/tempo", "grafana/tempo", 4317), ("otlp/jaeger", "jaeger", 4317) })
        {
            var endpoint = new Uri("tcp://" + Scalar(Map(exporters, exporter), "endpoint"));
            Assert.True(Services.Children.ContainsKey(endpoint.Host), $"{exporter} host '{endpoint.Host}' is not a compose service.");
            Assert.Contains(image, Scalar(Map(Services, endpoint.Host), "image"), StringComparison.Ordinal);
            Assert.Equal(port, endpoint.Port);
            Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), Strings(Map(Services, endpoint.Host), "expose"));
        }

        var tempo = Load("tempo.yaml");
        var grpc = Map(Map(Map(Map(Map(tempo, "distributor"), "receivers"), "otlp"), "protocols"), "grpc");
        Assert.Equal("0.0.0.0:4317", Scalar(grpc, "endpoint"));
    }

    [Fact]
    public void Prometheus_ScrapesTheGatewayMetricsPort_AndLoadsTheMountedRules()
    {
        var prometheus = Map(Services, "prometheus");
        var config = Load("prometheus", "prometheus.yml");
        var job = (YamlMappingNode)((YamlSequenceNode)config["scrape_configs"])[0];
        Assert.Equal("glassbox", Scalar(job, "job_name"));
        Assert.Equal("/metrics", Scalar(job, "metrics_path"));
        var target = Strings((YamlMappingNode)((YamlSequenceNode)job["static_configs"])[0], "targets").Single();
        var (host, port) = (target.Split(':')[0], int.Parse(target.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(Services.Children.ContainsKey(host), $"Scrape target host '{host}' is not a compose service.");
        Assert.EndsWith($":{port}", Environment(Map(Services, host))["ASPNETCORE_URLS"], StringComparison.Ordinal);

        var volumes = Strings(prometheus, "volumes");
        foreach (var rules in Strings(config, "rule_files"))
        {
            Assert.Contains(volumes, v => v.EndsWith($":{rules}:ro", StringComparison.Ordinal) && v.StartsWith("./prometheus/alerts.yml:", StringComparison.Ordinal));
        }

        Assert.Contains("--enable-feature=exemplar-storage", Strings(prometheus, "command"));
    }

    [Fact]
    public void Grafana_IsAnonymousViewer_AndItsDatasourcesAreComposeServices()
    {
        var env = Environment(Map(Services, "grafana"));
        Assert.Equal("true", env["GF_AUTH_ANONYMOUS_ENABLED"]);
        Assert.Equal("Viewer", env["GF_AUTH_ANONYMOUS_ORG_ROLE"]);
        Assert.Contains("3000:3000", Strings(Map(Services, "grafana"), "ports"));

        var datasources = (YamlSequenceNode)Load("grafana", "provisioning", "datasources", "datasources.yml")["datasources"];
        Assert.Equal(3, datasources.Children.Count);
        foreach (YamlMappingNode datasource in datasources)
        {
            var url = new Uri(Scalar(datasource, "url"));
            Assert.True(Services.Children.ContainsKey(url.Host), $"Datasource '{Scalar(datasource, "name")}' host '{url.Host}' is not a compose service.");
            var service = Map(Services, url.Host);
            var port = url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Strings(service, "expose").Contains(port) || Strings(service, "ports").Any(p => p.EndsWith(":" + port, StringComparison.Ordinal)),
                $"Datasource '{Scalar(datasource, "name")}' port {port} is not exposed by '{url.Host}'.");
        }
    }

    [Fact]
    public void TrafficGenerator_SendsToTheGatewayService()
    {
        var generator = Map(Services, "traffic-generator");
        var gateway = new Uri(Environment(generator)["GATEWAY"]);
        Assert.Equal("gateway", gateway.Host);
        Assert.EndsWith($":{gateway.Port}", Environment(Map(Services, "gateway"))["ASPNETCORE_URLS"], StringComparison.Ordinal);
        var script = File.ReadAllText(RepositoryRoot.Combine("deploy", "traffic", "generate.sh"));
        foreach (var path in new[] { "/v1/messages", "/v1/chat/completions", "/v1/responses" })
        {
            Assert.Contains(path, script, StringComparison.Ordinal);
        }
    }

    private static YamlMappingNode Load(params string[] path) => LoadYaml(["deploy", .. path]);

    [GeneratedRegex(@"^v?\d+\.\d+(\.\d+)?$")]
    private static partial Regex PinnedTag();
}
