using System.Globalization;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace Glassbox.Gateway.Tests.Deploy.Kubernetes;

/// <summary>
/// Renders deploy/kubernetes/overlays/{sidecar,gateway} with <c>kubectl kustomize</c>, strictly deserialises every
/// object into the Kubernetes API models (HTTPRoute into <see cref="HttpRoute"/>), and checks what makes the
/// deployment drain and route correctly: probes, ports, grace period against the drain settings, SSE settings.
/// </summary>
public sealed class KubernetesManifestTests
{
    private const string GlassboxImage = "glassbox/gateway";

    [KubectlTheory]
    [InlineData("sidecar")]
    [InlineData("gateway")]
    public void Render_Overlay_EveryObjectIsAKnownApiTypeWithoutUnknownFields(string overlay)
    {
        var rendered = RenderedOverlay.Render(overlay);

        Assert.NotEmpty(rendered.Objects);
        Assert.All(rendered.Objects, o => Assert.IsNotType<k8s.KubernetesObject>(o));
        Assert.All(rendered.All<HttpRoute>(), route => Assert.Empty(route.Validate()));
    }

    [KubectlFact]
    public void Sidecar_Glassbox_IsANativeSidecarWithProbesAndNoPreStop()
    {
        var rendered = RenderedOverlay.Render("sidecar");
        var app = rendered.Named<V1Deployment>("example-app");
        var pod = app.Spec.Template.Spec;

        var glassbox = Assert.Single(pod.InitContainers, c => c.Image.StartsWith(GlassboxImage, StringComparison.Ordinal));
        Assert.Equal("Always", glassbox.RestartPolicy);
        Assert.DoesNotContain(pod.Containers, c => c.Image.StartsWith(GlassboxImage, StringComparison.Ordinal));
        Assert.Null(glassbox.Lifecycle?.PreStop);
        var port = ListenPort(rendered, glassbox);
        AssertProbes(glassbox, port);
        Assert.Contains(glassbox.Ports, p => p.ContainerPort == port);

        var env = Environment(rendered, glassbox);
        Assert.Equal(TimeSpan.Zero, TimeSpan.Parse(env["Glassbox__Shutdown__DrainDelay"], CultureInfo.InvariantCulture));
        AssertGraceAboveDrain(pod, env, preStopSeconds: 0);
        AssertResourcesSet(glassbox);
    }

    [KubectlFact]
    public void Sidecar_App_CallsTheSidecarOnLocalhost()
    {
        var rendered = RenderedOverlay.Render("sidecar");
        var pod = rendered.Named<V1Deployment>("example-app").Spec.Template.Spec;
        var glassbox = Assert.Single(pod.InitContainers);
        var port = ListenPort(rendered, glassbox);

        var app = Assert.Single(pod.Containers);
        var env = app.Env.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
        Assert.Equal(new Uri($"http://localhost:{port}"), new Uri(env["ANTHROPIC_BASE_URL"]));
        Assert.Equal(new Uri($"http://localhost:{port}/v1"), new Uri(env["OPENAI_BASE_URL"]));
    }

    [KubectlTheory]
    [InlineData("sidecar")]
    [InlineData("gateway")]
    public void Overlay_OtlpEndpoint_IsACollectorServicePortBackedByACollectorPod(string overlay)
    {
        var rendered = RenderedOverlay.Render(overlay);
        foreach (var glassbox in GlassboxContainers(rendered))
        {
            var endpoint = new Uri(Environment(rendered, glassbox)["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            var service = rendered.Named<V1Service>(endpoint.Host);
            var servicePort = Assert.Single(service.Spec.Ports, p => p.Port == endpoint.Port);
            var collector = Assert.Single(rendered.All<V1Deployment>(), d => Selects(service, d));
            var container = Assert.Single(collector.Spec.Template.Spec.Containers);
            Assert.Contains("opentelemetry-collector", container.Image, StringComparison.Ordinal);
            Assert.Contains(container.Ports, p => p.Name == servicePort.TargetPort.Value || p.ContainerPort.ToString(CultureInfo.InvariantCulture) == servicePort.TargetPort.Value);
        }
    }

    [KubectlFact]
    public void Gateway_Deployment_DrainsBehindItsServiceWithPreStopSleepAndDrainDelay()
    {
        var rendered = RenderedOverlay.Render("gateway");
        var deployment = rendered.Named<V1Deployment>("glassbox");
        var pod = deployment.Spec.Template.Spec;
        var glassbox = Assert.Single(pod.Containers);
        var port = ListenPort(rendered, glassbox);
        AssertProbes(glassbox, port);
        AssertResourcesSet(glassbox);

        var preStop = glassbox.Lifecycle?.PreStop?.Sleep?.Seconds;
        Assert.True(preStop > 0, "the gateway Deployment needs a preStop sleep so endpoints update before SIGTERM");
        var env = Environment(rendered, glassbox);
        Assert.True(TimeSpan.Parse(env["Glassbox__Shutdown__DrainDelay"], CultureInfo.InvariantCulture) > TimeSpan.Zero);
        AssertGraceAboveDrain(pod, env, preStop.Value);

        var service = rendered.Named<V1Service>("glassbox");
        Assert.True(Selects(service, deployment));
        var servicePort = Assert.Single(service.Spec.Ports);
        Assert.Equal(port, glassbox.Ports.Single(p => p.Name == servicePort.TargetPort.Value).ContainerPort);
    }

    [KubectlFact]
    public void Gateway_IngressAndHttpRoute_ReachTheServiceWithStreamingSettings()
    {
        var rendered = RenderedOverlay.Render("gateway");
        var service = rendered.Named<V1Service>("glassbox");
        var servicePort = Assert.Single(service.Spec.Ports);

        var ingress = rendered.Named<V1Ingress>("glassbox");
        var backend = Assert.Single(Assert.Single(ingress.Spec.Rules).Http.Paths).Backend.Service;
        Assert.Equal(service.Metadata.Name, backend.Name);
        Assert.True(backend.Port.Name == servicePort.Name || backend.Port.Number == servicePort.Port);
        var annotations = ingress.Metadata.Annotations;
        Assert.Equal("off", annotations["nginx.ingress.kubernetes.io/proxy-buffering"]);
        Assert.Equal("off", annotations["nginx.ingress.kubernetes.io/proxy-request-buffering"]);
        Assert.Equal("1.1", annotations["nginx.ingress.kubernetes.io/proxy-http-version"]);
        // Above the longest stream the gateway allows (Timeouts:Total, default 1 h).
        Assert.True(int.Parse(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"], CultureInfo.InvariantCulture) >= 3600);
        Assert.True(int.Parse(annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"], CultureInfo.InvariantCulture) >= 3600);

        var route = Assert.Single(rendered.All<HttpRoute>());
        var rule = Assert.Single(route.Spec.Rules!);
        var routeBackend = Assert.Single(rule.BackendRefs!);
        Assert.Equal(service.Metadata.Name, routeBackend.Name);
        Assert.Equal(servicePort.Port, routeBackend.Port);
        Assert.Equal("0s", rule.Timeouts?.Request);
        Assert.Equal("0s", rule.Timeouts?.BackendRequest);
    }

    [KubectlFact]
    public void Gateway_DisruptionBudgetAndAutoscaler_TargetTheGatewayDeployment()
    {
        var rendered = RenderedOverlay.Render("gateway");
        var deployment = rendered.Named<V1Deployment>("glassbox");
        var labels = deployment.Spec.Template.Metadata.Labels;

        var pdb = Assert.Single(rendered.All<V1PodDisruptionBudget>());
        Assert.All(pdb.Spec.Selector.MatchLabels, kv => Assert.Equal(kv.Value, labels[kv.Key]));
        var hpa = Assert.Single(rendered.All<V2HorizontalPodAutoscaler>());
        Assert.Equal(("Deployment", "glassbox"), (hpa.Spec.ScaleTargetRef.Kind, hpa.Spec.ScaleTargetRef.Name));
        Assert.True(hpa.Spec.MinReplicas >= 2, "one replica cannot drain while another serves");
        Assert.True(hpa.Spec.MaxReplicas > hpa.Spec.MinReplicas);
    }

    [KubectlFact]
    public void Gateway_Collector_LoadBalancesByTraceIdToTailSamplingCollectors()
    {
        var rendered = RenderedOverlay.Render("gateway");
        var front = CollectorConfig(rendered, "otel-collector-config");
        var loadbalancing = Map(Map(front, "exporters"), "loadbalancing");
        Assert.Equal("traceID", Scalar(loadbalancing, "routing_key"));
        Assert.Equal(["loadbalancing"], Strings(Map(Map(Map(front, "service"), "pipelines"), "traces"), "exporters"));

        // The resolver's host is a headless Service in front of the sampling tier, which tail-samples.
        var dns = Map(Map(loadbalancing, "resolver"), "dns");
        var samplers = rendered.Named<V1Service>(Scalar(dns, "hostname"));
        Assert.Equal("None", samplers.Spec.ClusterIP);
        var samplerDeployment = Assert.Single(rendered.All<V1Deployment>(), d => Selects(samplers, d));
        var samplerConfigName = Assert.Single(samplerDeployment.Spec.Template.Spec.Volumes, v => v.ConfigMap is not null).ConfigMap.Name;
        var sampler = CollectorConfig(rendered, samplerConfigName);
        Assert.Contains("tail_sampling", Strings(Map(Map(Map(sampler, "service"), "pipelines"), "traces"), "processors"));
        Assert.True(Map(sampler, "processors").Children.ContainsKey(new YamlScalarNode("tail_sampling")));
    }

    private static IEnumerable<V1Container> GlassboxContainers(RenderedOverlay rendered) =>
        rendered.All<V1Deployment>().SelectMany(d => (d.Spec.Template.Spec.InitContainers ?? []).Concat(d.Spec.Template.Spec.Containers))
            .Where(c => c.Image.StartsWith(GlassboxImage, StringComparison.Ordinal));

    /// <summary>The container's environment: its envFrom ConfigMaps, then its own env entries over them.</summary>
    private static Dictionary<string, string> Environment(RenderedOverlay rendered, V1Container container)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var configMap = Assert.Single(rendered.All<V1ConfigMap>(), c => c.Metadata.Name == source.ConfigMapRef.Name);
            foreach (var (key, value) in configMap.Data)
            {
                env[key] = value;
            }
        }

        foreach (var entry in container.Env ?? [])
        {
            env[entry.Name] = entry.Value;
        }

        return env;
    }

    /// <summary>The port of ASPNETCORE_URLS, where the gateway listens.</summary>
    private static int ListenPort(RenderedOverlay rendered, V1Container glassbox)
    {
        var urls = Environment(rendered, glassbox)["ASPNETCORE_URLS"];
        var url = Assert.Single(urls.Split(';'));
        return new Uri(url.Replace("+", "0.0.0.0", StringComparison.Ordinal)).Port;
    }

    private static void AssertProbes(V1Container glassbox, int port)
    {
        foreach (var (probe, path) in new[] { (glassbox.StartupProbe, "/readyz"), (glassbox.ReadinessProbe, "/readyz"), (glassbox.LivenessProbe, "/healthz") })
        {
            Assert.NotNull(probe?.HttpGet);
            Assert.Equal(path, probe.HttpGet.Path);
            Assert.Equal(port.ToString(CultureInfo.InvariantCulture), probe.HttpGet.Port.Value);
        }
    }

    private static void AssertGraceAboveDrain(V1PodSpec pod, Dictionary<string, string> env, long preStopSeconds)
    {
        var drain = TimeSpan.Parse(env["Glassbox__Shutdown__DrainTimeout"], CultureInfo.InvariantCulture);
        var delay = TimeSpan.Parse(env.GetValueOrDefault("Glassbox__Shutdown__DrainDelay", "00:00:00"), CultureInfo.InvariantCulture);
        var needed = TimeSpan.FromSeconds(preStopSeconds) + delay + drain;
        Assert.True(pod.TerminationGracePeriodSeconds > needed.TotalSeconds,
            $"terminationGracePeriodSeconds {pod.TerminationGracePeriodSeconds} must exceed preStop + DrainDelay + DrainTimeout = {needed.TotalSeconds} s");
    }

    private static void AssertResourcesSet(V1Container container)
    {
        Assert.True(container.Resources?.Requests?.ContainsKey("memory") == true, $"{container.Name} has no memory request");
        Assert.True(container.Resources?.Limits?.ContainsKey("memory") == true, $"{container.Name} has no memory limit");
    }

    private static bool Selects(V1Service service, V1Deployment deployment) =>
        service.Spec.Selector.All(kv => deployment.Spec.Template.Metadata.Labels.TryGetValue(kv.Key, out var value) && value == kv.Value);

    private static YamlMappingNode CollectorConfig(RenderedOverlay rendered, string configMapName)
    {
        var configMap = rendered.Named<V1ConfigMap>(configMapName);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(configMap.Data["config.yaml"]));
        return Assert.IsType<YamlMappingNode>(Assert.Single(yaml.Documents).RootNode);
    }

    private static YamlMappingNode Map(YamlMappingNode parent, string key)
    {
        Assert.True(parent.Children.TryGetValue(new YamlScalarNode(key), out var child), $"Missing key '{key}'.");
        return Assert.IsType<YamlMappingNode>(child);
    }

    private static string Scalar(YamlMappingNode parent, string key) =>
        Assert.IsType<YamlScalarNode>(parent.Children[new YamlScalarNode(key)]).Value ?? "";

    private static List<string> Strings(YamlMappingNode parent, string key) =>
        [.. Assert.IsType<YamlSequenceNode>(parent.Children[new YamlScalarNode(key)]).Children.Select(n => ((YamlScalarNode)n).Value ?? "")];
}
