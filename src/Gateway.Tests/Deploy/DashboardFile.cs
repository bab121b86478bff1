using System.Text.Json;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Deploy;

/// <summary>A Grafana dashboard JSON under deploy/grafana/dashboards, read as the tests need it.</summary>
internal sealed class DashboardFile
{
    private DashboardFile(JsonElement root)
    {
        Root = root;
        Panels = [.. AllPanels(root.GetProperty("panels")).Where(p => p.GetProperty("type").GetString() != "row").Select(p => new Panel(
            p.GetProperty("title").GetString()!,
            p.GetProperty("type").GetString()!,
            [.. p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!)],
            p.GetProperty("targets").EnumerateArray().Any(t => t.TryGetProperty("exemplar", out var e) && e.GetBoolean()),
            p.TryGetProperty("fieldConfig", out var field) && field.GetProperty("defaults").TryGetProperty("links", out var links) ? links.GetArrayLength() : 0))];
        Variables = [.. root.GetProperty("templating").GetProperty("list").EnumerateArray().Select(v => new Variable(
            v.GetProperty("name").GetString()!,
            v.GetProperty("type").GetString()!,
            v.TryGetProperty("definition", out var definition) ? definition.GetString() : null))];
    }

    public const string LlmTraffic = "glassbox-llm-traffic.json";

    public JsonElement Root { get; }

    public IReadOnlyList<Panel> Panels { get; }

    public IReadOnlyList<Variable> Variables { get; }

    public static DashboardFile Load(string fileName)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("deploy", "grafana", "dashboards", fileName)));
        return new DashboardFile(json.RootElement.Clone());
    }

    /// <summary>
    /// A panel expression as Prometheus gets it: Grafana's variables replaced — every label filter by
    /// <c>.*</c> (the dashboards' "All"), the rate window and range by fixed windows, the cost split by model.
    /// </summary>
    public static string Substitute(string expr) => expr
        .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
        .Replace("$__range", "5m", StringComparison.Ordinal)
        .Replace("$cost_split", "gen_ai_request_model", StringComparison.Ordinal)
        .Replace("$provider", ".*", StringComparison.Ordinal)
        .Replace("$model", ".*", StringComparison.Ordinal)
        .Replace("$upstream", ".*", StringComparison.Ordinal);

    private static IEnumerable<JsonElement> AllPanels(JsonElement panels)
    {
        foreach (var panel in panels.EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in AllPanels(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    public sealed record Panel(string Title, string Type, IReadOnlyList<string> Expressions, bool Exemplars, int DataLinks);

    public sealed record Variable(string Name, string Type, string? Definition);
}
