using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Glassbox.Gateway.Tests.Deploy.Kubernetes;

/// <summary>
/// <c>gateway.networking.k8s.io/v1</c> <c>HTTPRoute</c>, written from the Gateway API specification (v1.2, standard
/// channel) because the KubernetesClient models stop at the core API. Strict deserialisation into these types rejects
/// any field the specification does not define; <see cref="Validate"/> checks the enumerations and formats it prescribes.
/// </summary>
public sealed class HttpRoute : IKubernetesObject<V1ObjectMeta>
{
    public const string ApiGroupVersion = "gateway.networking.k8s.io/v1";

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public HttpRouteSpec Spec { get; set; } = new();

    /// <summary>Gateway API durations: 1 to 4 groups of up to 5 digits with h, m, s or ms (GEP-2257).</summary>
    public static bool IsDuration(string value) => System.Text.RegularExpressions.Regex.IsMatch(value, "^([0-9]{1,5}(h|m|s|ms)){1,4}$");

    /// <summary>What the specification requires beyond the field names; the failures, or none.</summary>
    public IEnumerable<string> Validate()
    {
        if (Spec.ParentRefs is not { Count: > 0 and <= 32 })
        {
            yield return "spec.parentRefs needs 1 to 32 entries";
        }

        foreach (var parent in Spec.ParentRefs ?? [])
        {
            if (string.IsNullOrEmpty(parent.Name))
            {
                yield return "parentRefs[].name is required";
            }
        }

        if (Spec.Rules is not { Count: > 0 and <= 16 })
        {
            yield return "spec.rules needs 1 to 16 entries";
        }

        foreach (var rule in Spec.Rules ?? [])
        {
            foreach (var match in rule.Matches ?? [])
            {
                if (match.Path is { } path && path.Type is not ("Exact" or "PathPrefix" or "RegularExpression"))
                {
                    yield return $"matches[].path.type '{path.Type}' is not Exact, PathPrefix or RegularExpression";
                }

                if (match.Path is { Value: { } value } && !value.StartsWith('/'))
                {
                    yield return $"matches[].path.value '{value}' must start with '/'";
                }
            }

            foreach (var backend in rule.BackendRefs ?? [])
            {
                if (string.IsNullOrEmpty(backend.Name))
                {
                    yield return "backendRefs[].name is required";
                }

                if ((backend.Kind ?? "Service") == "Service" && backend.Port is not (>= 1 and <= 65535))
                {
                    yield return $"backendRefs[] to Service '{backend.Name}' needs a port in 1-65535";
                }
            }

            foreach (var (name, value) in new[] { ("request", rule.Timeouts?.Request), ("backendRequest", rule.Timeouts?.BackendRequest) })
            {
                if (value is not null && !IsDuration(value))
                {
                    yield return $"timeouts.{name} '{value}' is not a Gateway API duration";
                }
            }
        }
    }
}

public sealed class HttpRouteSpec
{
    [JsonPropertyName("parentRefs")] public List<ParentReference>? ParentRefs { get; set; }
    [JsonPropertyName("hostnames")] public List<string>? Hostnames { get; set; }
    [JsonPropertyName("rules")] public List<HttpRouteRule>? Rules { get; set; }
}

public sealed class ParentReference
{
    [JsonPropertyName("group")] public string? Group { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("sectionName")] public string? SectionName { get; set; }
    [JsonPropertyName("port")] public int? Port { get; set; }
}

public sealed class HttpRouteRule
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("matches")] public List<HttpRouteMatch>? Matches { get; set; }
    [JsonPropertyName("filters")] public List<Dictionary<string, object>>? Filters { get; set; }
    [JsonPropertyName("backendRefs")] public List<HttpBackendRef>? BackendRefs { get; set; }
    [JsonPropertyName("timeouts")] public HttpRouteTimeouts? Timeouts { get; set; }
    [JsonPropertyName("sessionPersistence")] public Dictionary<string, object>? SessionPersistence { get; set; }
}

public sealed class HttpRouteMatch
{
    [JsonPropertyName("path")] public HttpPathMatch? Path { get; set; }
    [JsonPropertyName("headers")] public List<Dictionary<string, string>>? Headers { get; set; }
    [JsonPropertyName("queryParams")] public List<Dictionary<string, string>>? QueryParams { get; set; }
    [JsonPropertyName("method")] public string? Method { get; set; }
}

public sealed class HttpPathMatch
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
}

public sealed class HttpBackendRef
{
    [JsonPropertyName("group")] public string? Group { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    [JsonPropertyName("port")] public int? Port { get; set; }
    [JsonPropertyName("weight")] public int? Weight { get; set; }
    [JsonPropertyName("filters")] public List<Dictionary<string, object>>? Filters { get; set; }
}

public sealed class HttpRouteTimeouts
{
    [JsonPropertyName("request")] public string? Request { get; set; }
    [JsonPropertyName("backendRequest")] public string? BackendRequest { get; set; }
}
