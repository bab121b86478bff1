using Glassbox.Gateway.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Glassbox.Gateway.Tests.Deploy;

/// <summary>The "Glassbox — LLM traffic" dashboard and the Grafana provisioning that loads it.</summary>
public sealed class GrafanaDashboardTests
{
    /// <summary>The panels an operator asked for, by title.</summary>
    public static readonly string[] RequiredPanels =
    [
        "Time to first token p50 / p95 / p99 by model",
        "Call duration p50 / p99 by model",
        "Output tokens per second by model",
        "Time per output chunk p50 / p99 by model",
        "Requests per second by model",
        "Error ratio by ai.error.type and model",
        "Tokens per second by type and model",
        "Cost per hour (USD) by $cost_split",
        "Top 10 spenders in the selected time range (app · endpoint · key alias)",
        "Retries per second by reason",
        "Circuit-breaker state changes",
        "Aborted streams per second by end reason and model",
        "Provider rate-limit headroom (remaining / limit)",
        "Share of calls with a cache hit by model",
        "P50 call duration with vs without a cache hit by model",
        "Gateway overhead p50 / p99 by model",
    ];

    private readonly DashboardFile _dashboard = DashboardFile.Load(DashboardFile.LlmTraffic);

    [Fact]
    public void Dashboard_HasEveryRequiredPanel_EachWithAQuery()
    {
        Assert.Equal("Glassbox — LLM traffic", _dashboard.Root.GetProperty("title").GetString());
        foreach (var title in RequiredPanels)
        {
            Assert.Contains(_dashboard.Panels, p => p.Title == title);
        }

        Assert.All(_dashboard.Panels, p => Assert.NotEmpty(p.Expressions));
    }

    [Fact]
    public void Dashboard_ModelPanels_FilterByTheProviderModelAndUpstreamVariables()
    {
        Assert.Equal(["provider", "model", "upstream"], _dashboard.Variables.Where(v => v.Type == "query").Select(v => v.Name));
        foreach (var panel in _dashboard.Panels.Where(p => p.Title.EndsWith("by model", StringComparison.Ordinal)))
        {
            Assert.All(panel.Expressions, e =>
            {
                Assert.Contains("gen_ai_request_model=~\"$model\"", e, StringComparison.Ordinal);
                Assert.Contains("gen_ai_provider_name=~\"$provider\"", e, StringComparison.Ordinal);
                Assert.Contains("glassbox_upstream=~\"$upstream\"", e, StringComparison.Ordinal);
                Assert.Contains("gen_ai_request_model", e.Split("(rate(")[0], StringComparison.Ordinal);
            });
        }
    }

    [Fact]
    public void Dashboard_LatencyPanels_ShowExemplarsAndLinkToTraces()
    {
        foreach (var title in new[] { "Time to first token p50 / p95 / p99 by model", "Call duration p50 / p99 by model" })
        {
            var panel = _dashboard.Panels.Single(p => p.Title == title);
            Assert.True(panel.Exemplars, $"{title}: exemplars off.");
            Assert.True(panel.DataLinks > 0, $"{title}: no data link to the trace backend.");
        }

        var datasources = LoadYaml("grafana", "provisioning", "datasources", "datasources.yml");
        var prometheus = ((YamlSequenceNode)datasources["datasources"]).Cast<YamlMappingNode>().Single(d => ((YamlScalarNode)d["type"]).Value == "prometheus");
        var destination = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)prometheus["jsonData"])["exemplarTraceIdDestinations"])[0];
        Assert.Equal("trace_id", ((YamlScalarNode)destination["name"]).Value);
        var traceUid = ((YamlScalarNode)destination["datasourceUid"]).Value;
        Assert.Contains(((YamlSequenceNode)datasources["datasources"]).Cast<YamlMappingNode>(),
            d => ((YamlScalarNode)d["uid"]).Value == traceUid && ((YamlScalarNode)d["type"]).Value == "tempo");
    }

    [Fact]
    public void Provisioning_DashboardProvider_LoadsTheFolderComposeMounts()
    {
        var providers = LoadYaml("grafana", "provisioning", "dashboards", "dashboards.yml");
        var provider = (YamlMappingNode)((YamlSequenceNode)providers["providers"])[0];
        Assert.Equal("file", ((YamlScalarNode)provider["type"]).Value);
        var path = ((YamlScalarNode)((YamlMappingNode)provider["options"])["path"]).Value!;

        var compose = LoadYaml("docker-compose.yml");
        var grafana = (YamlMappingNode)((YamlMappingNode)compose["services"])["grafana"];
        var volumes = ((YamlSequenceNode)grafana["volumes"]).Select(v => ((YamlScalarNode)v).Value!).ToList();
        Assert.Contains(volumes, v => v.StartsWith("./grafana/dashboards:" + path, StringComparison.Ordinal));
        Assert.Contains(volumes, v => v.StartsWith("./grafana/provisioning:/etc/grafana/provisioning", StringComparison.Ordinal));
    }

    private static YamlMappingNode LoadYaml(params string[] path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(RepositoryRoot.Combine(["deploy", .. path]));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
