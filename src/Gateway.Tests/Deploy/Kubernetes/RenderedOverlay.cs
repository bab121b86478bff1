using System.Diagnostics;
using System.Reflection;
using Glassbox.Gateway.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Glassbox.Gateway.Tests.Deploy.Kubernetes;

/// <summary>An overlay of deploy/kubernetes rendered by <c>kubectl kustomize</c> and strictly deserialised into the API models.</summary>
internal sealed class RenderedOverlay
{
    private static readonly Dictionary<string, Type> TypeMap = BuildTypeMap();

    private RenderedOverlay(List<object> objects) => Objects = objects;

    public List<object> Objects { get; }

    /// <summary>Null when kubectl is missing: the reason to skip instead.</summary>
    public static string? KubectlMissingReason { get; } = FindKubectl() is null ? "kubectl is not on PATH; the Kubernetes manifest tests need `kubectl kustomize`." : null;

    public static RenderedOverlay Render(string overlay)
    {
        var start = new ProcessStartInfo(FindKubectl()!, ["kustomize", RepositoryRoot.Combine("deploy", "kubernetes", "overlays", overlay)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "kubectl kustomize did not finish within 60 s");
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {overlay} failed: {error.Result}");

        // strict: a field the schema does not define (a typo, a wrong nesting level) throws.
        return new RenderedOverlay(KubernetesYaml.LoadAllFromString(output.Result, TypeMap, strict: true));
    }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Named<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        Assert.Single(Objects.OfType<T>(), o => o.Metadata.Name == name || o.Metadata.Name.StartsWith(name + "-", StringComparison.Ordinal) && typeof(T) == typeof(V1ConfigMap));

    /// <summary>Every API model of the client ("apps/v1/Deployment" → V1Deployment), plus the HTTPRoute schema.</summary>
    private static Dictionary<string, Type> BuildTypeMap()
    {
        var map = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in typeof(V1Pod).Assembly.GetTypes())
        {
            if (type.GetCustomAttribute<KubernetesEntityAttribute>() is { Kind: { Length: > 0 } kind } entity)
            {
                var groupVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
                map.TryAdd($"{groupVersion}/{kind}", type);
            }
        }

        map[$"{HttpRoute.ApiGroupVersion}/HTTPRoute"] = typeof(HttpRoute);
        return map;
    }

    private static string? FindKubectl() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "kubectl"))
            .FirstOrDefault(File.Exists);
}
