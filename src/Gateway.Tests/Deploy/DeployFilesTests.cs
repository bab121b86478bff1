using System.Text.RegularExpressions;
using Glassbox.Gateway.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Glassbox.Gateway.Tests.Deploy;

/// <summary>
/// Static checks that the deployment files (Dockerfile, deploy/docker-compose.yml, deploy/otel-collector.yaml)
/// agree with each other: names, hosts and ports that one file uses are the ones another defines.
/// </summary>
public sealed partial class DeployFilesTests
{
    private static readonly string[] PipelineSections = ["receivers", "processors", "exporters"];

    private readonly YamlMappingNode _compose = LoadYaml("deploy", "docker-compose.yml");
    private readonly YamlMappingNode _collector = LoadYaml("deploy", "otel-collector.yaml");

    private YamlMappingNode Services => Map(_compose, "services");

    private YamlMappingNode Gateway => Map(Services, "gateway");

    [Fact]
    public void Collector_EveryPipelineComponent_IsDefined()
    {
        var service = Map(_collector, "service");
        var pipelines = Map(service, "pipelines");
        Assert.Equal(["logs", "metrics", "traces"], pipelines.Children.Keys.Select(Text).Order(StringComparer.Ordinal));

        foreach (var (nameNode, pipelineNode) in pipelines.Children)
        {
            var pipeline = Assert.IsType<YamlMappingNode>(pipelineNode);
            foreach (var section in PipelineSections)
            {
                var used = Strings(pipeline, section);
                if (section != "processors")
                {
                    Assert.True(used.Count > 0, $"Pipeline '{Text(nameNode)}' has no {section}.");
                }

                var defined = Map(_collector, section).Children.Keys.Select(Text).ToHashSet(StringComparer.Ordinal);
                foreach (var component in used)
                {
                    Assert.True(defined.Contains(component),
                        $"Pipeline '{Text(nameNode)}' uses {section} '{component}', which is not defined (defined: {string.Join(", ", defined)}).");
                }
            }
        }

        var definedExtensions = Map(_collector, "extensions").Children.Keys.Select(Text).ToHashSet(StringComparer.Ordinal);
        foreach (var extension in Strings(service, "extensions"))
        {
            Assert.Contains(extension, definedExtensions);
        }
    }

    [Fact]
    public void Collector_TracesGoToTempoAndJaeger_MetricsAndLogsToDebug()
    {
        var pipelines = Map(Map(_collector, "service"), "pipelines");
        Assert.Equal(["otlp/tempo", "otlp/jaeger"], Strings(Map(pipelines, "traces"), "exporters"));
        Assert.Equal(["debug"], Strings(Map(pipelines, "metrics"), "exporters"));
        Assert.Equal(["debug"], Strings(Map(pipelines, "logs"), "exporters"));
        Assert.Equal(["memory_limiter", "batch"], Strings(Map(pipelines, "traces"), "processors"));
    }

    [Fact]
    public void Gateway_OtlpEndpoint_IsTheCollectorsGrpcReceiver()
    {
        var env = Environment(Gateway);
        var endpoint = new Uri(env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (env.TryGetValue("OTEL_EXPORTER_OTLP_PROTOCOL", out var protocol))
        {
            Assert.Equal("grpc", protocol);
        }

        Assert.True(Services.Children.ContainsKey(endpoint.Host),
            $"OTEL_EXPORTER_OTLP_ENDPOINT host '{endpoint.Host}' is not a compose service.");
        var collectorService = Map(Services, endpoint.Host);
        Assert.Contains("opentelemetry-collector", Scalar(collectorService, "image"), StringComparison.Ordinal);
        Assert.Contains(Strings(collectorService, "volumes"),
            v => v.StartsWith("./otel-collector.yaml:", StringComparison.Ordinal));

        var grpc = Map(Map(Map(Map(_collector, "receivers"), "otlp"), "protocols"), "grpc");
        var (grpcHost, grpcPort) = HostPort(Scalar(grpc, "endpoint"));
        Assert.Equal("0.0.0.0", grpcHost);
        Assert.Equal(grpcPort, endpoint.Port);

        var http = Map(Map(Map(Map(_collector, "receivers"), "otlp"), "protocols"), "http");
        Assert.Equal(("0.0.0.0", 4318), HostPort(Scalar(http, "endpoint")));
        Assert.Equal("glassbox-gateway", env["OTEL_SERVICE_NAME"]);
    }

    [Fact]
    public void Collector_JaegerExporter_TargetsTheJaegerService()
    {
        var exporter = Map(Map(_collector, "exporters"), "otlp/jaeger");
        var (host, port) = HostPort(Scalar(exporter, "endpoint"));
        Assert.True(Services.Children.ContainsKey(host), $"Jaeger exporter host '{host}' is not a compose service.");
        Assert.Contains("jaeger", Scalar(Map(Services, host), "image"), StringComparison.Ordinal);
        Assert.Equal(4317, port);
        Assert.Equal("true", Scalar(Map(exporter, "tls"), "insecure"));
        Assert.Contains("16686:16686", Strings(Map(Services, host), "ports"));
    }

    [Theory]
    [InlineData("Anthropic")]
    [InlineData("OpenAI")]
    public void Gateway_UpstreamBaseUrl_IsTheSimulatorsListenAddress(string upstream)
    {
        var baseUrl = new Uri(Environment(Gateway)[$"Glassbox__Upstreams__{upstream}__BaseUrl"]);
        Assert.True(Services.Children.ContainsKey(baseUrl.Host), $"{upstream} BaseUrl host '{baseUrl.Host}' is not a compose service.");

        var simulator = Map(Services, baseUrl.Host);
        Assert.Equal("simulator", Scalar(Map(simulator, "build"), "target"));
        Assert.Equal(SimulatorListenPort(simulator), baseUrl.Port);
        Assert.Contains(baseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Strings(simulator, "expose"));
    }

    [Fact]
    public void Compose_BuildsFromTheRootDockerfile_AndPublishesGatewayPort()
    {
        foreach (var (service, target) in new[] { ("gateway", "gateway"), ("simulated-upstream", "simulator") })
        {
            var build = Map(Map(Services, service), "build");
            Assert.Equal("..", Scalar(build, "context"));
            Assert.Equal("Dockerfile", Scalar(build, "dockerfile"));
            Assert.Equal(target, Scalar(build, "target"));
            Assert.Contains(DockerfileStages().Select(s => s.Name), n => n == target);
        }

        Assert.Contains("8080:8080", Strings(Gateway, "ports"));
        Assert.Equal("http://+:8080", Environment(Gateway)["ASPNETCORE_URLS"]);
    }

    [Fact]
    public void Dockerfile_IsMultiStage_AndRunsAsNonRoot()
    {
        var stages = DockerfileStages();
        Assert.True(stages.Count >= 2, $"Expected a multi-stage build, found {stages.Count} stage(s).");
        Assert.Contains("/dotnet/sdk:", stages[0].Image, StringComparison.Ordinal);

        var final = stages[^1];
        // A Native AOT executable: operating system libraries only, no .NET runtime, started without a shell.
        Assert.Contains("/dotnet/runtime-deps:", final.Image, StringComparison.Ordinal);
        Assert.Contains(final.Instructions, i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=build ", StringComparison.Ordinal));
        Assert.Contains(final.Instructions, i => i.Keyword == "ENV" && i.Arguments == "ASPNETCORE_URLS=http://+:8080");
        Assert.Contains(final.Instructions, i => i.Keyword == "EXPOSE" && i.Arguments == "8080");
        Assert.Contains(final.Instructions, i => i.Keyword == "ENTRYPOINT" && i.Arguments == "[\"/app/Glassbox.Gateway\"]");

        foreach (var stage in stages.Where(s => s.Name is "gateway" or "simulator"))
        {
            var user = stage.Instructions.LastOrDefault(i => i.Keyword == "USER");
            Assert.True(user is not null, $"Stage '{stage.Name}' has no USER instruction; it would run as root.");
            Assert.DoesNotMatch(@"^(root|0)(:.*)?$", user.Arguments);
        }
    }

    private static int SimulatorListenPort(YamlMappingNode simulator)
    {
        // Either `command: ["--urls", "http://+:PORT"]` or ASPNETCORE_URLS in its environment.
        var command = Strings(simulator, "command");
        var index = command.IndexOf("--urls");
        var urls = index >= 0 && index + 1 < command.Count
            ? command[index + 1]
            : Environment(simulator).GetValueOrDefault("ASPNETCORE_URLS")
              ?? throw new Xunit.Sdk.XunitException("The simulator service sets no listen address (--urls or ASPNETCORE_URLS).");
        var match = UrlPort().Match(urls);
        Assert.True(match.Success, $"No port in simulator listen address '{urls}'.");
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed record DockerInstruction(string Keyword, string Arguments);

    private sealed record DockerStage(string Image, string? Name, List<DockerInstruction> Instructions);

    private static List<DockerStage> DockerfileStages()
    {
        var text = File.ReadAllText(RepositoryRoot.Combine("Dockerfile"));
        var lines = text.Split('\n')
            .Select(l => l.TrimEnd('\r'))
            .Where(l => !l.TrimStart().StartsWith('#'));
        var joined = string.Join('\n', lines).Replace("\\\n", " ", StringComparison.Ordinal);

        var stages = new List<DockerStage>();
        foreach (var line in joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var args = space < 0 ? string.Empty : Regex.Replace(line[(space + 1)..].Trim(), @"\s+", " ");
            if (keyword == "FROM")
            {
                var parts = args.Split(' ');
                var name = parts.Length >= 3 && parts[^2].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[^1] : null;
                stages.Add(new DockerStage(parts.First(p => !p.StartsWith("--", StringComparison.Ordinal)), name, []));
            }
            else if (stages.Count > 0)
            {
                stages[^1].Instructions.Add(new DockerInstruction(keyword, args));
            }
        }

        return stages;
    }

    private static YamlMappingNode LoadYaml(params string[] path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(RepositoryRoot.Combine(path));
        stream.Load(reader);
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }

    private static string Text(YamlNode node) => Assert.IsType<YamlScalarNode>(node).Value ?? string.Empty;

    private static YamlMappingNode Map(YamlMappingNode parent, string key)
    {
        Assert.True(parent.Children.TryGetValue(new YamlScalarNode(key), out var child), $"Missing key '{key}'.");
        return Assert.IsType<YamlMappingNode>(child);
    }

    private static string Scalar(YamlMappingNode parent, string key)
    {
        Assert.True(parent.Children.TryGetValue(new YamlScalarNode(key), out var child), $"Missing key '{key}'.");
        return Text(child);
    }

    private static List<string> Strings(YamlMappingNode parent, string key) =>
        parent.Children.TryGetValue(new YamlScalarNode(key), out var child)
            ? child switch
            {
                YamlSequenceNode seq => seq.Children.Select(Text).ToList(),
                YamlScalarNode scalar => (scalar.Value ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList(),
                _ => throw new Xunit.Sdk.XunitException($"'{key}' is neither a list nor a string."),
            }
            : [];

    /// <summary>A compose service's environment, in either the mapping or the "KEY=value" list form.</summary>
    private static Dictionary<string, string> Environment(YamlMappingNode service)
    {
        Assert.True(service.Children.TryGetValue(new YamlScalarNode("environment"), out var env), "Service has no environment.");
        return env switch
        {
            YamlMappingNode map => map.Children.ToDictionary(kv => Text(kv.Key), kv => Text(kv.Value), StringComparer.Ordinal),
            YamlSequenceNode seq => seq.Children.Select(Text).Select(s => s.Split('=', 2))
                .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal),
            _ => throw new Xunit.Sdk.XunitException("environment is neither a mapping nor a list."),
        };
    }

    /// <summary>"host:port" or "scheme://host:port" → (host, port).</summary>
    private static (string Host, int Port) HostPort(string endpoint)
    {
        var withScheme = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "tcp://" + endpoint;
        var uri = new Uri(withScheme);
        Assert.True(uri.Port > 0, $"No port in endpoint '{endpoint}'.");
        return (uri.Host, uri.Port);
    }

    [GeneratedRegex(@":(\d+)/?$")]
    private static partial Regex UrlPort();
}
