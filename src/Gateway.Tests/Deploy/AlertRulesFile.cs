using System.Text.RegularExpressions;
using Glassbox.Gateway.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Glassbox.Gateway.Tests.Deploy;

/// <summary>deploy/prometheus/alerts.yml, read as the tests need it.</summary>
internal static partial class AlertRulesFile
{
    public static string RulesPath => RepositoryRoot.Combine("deploy", "prometheus", "alerts.yml");

    public static string TestsPath => RepositoryRoot.Combine("deploy", "prometheus", "alerts.test.yml");

    public static IReadOnlyList<Rule> Load()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(RulesPath))
        {
            stream.Load(reader);
        }

        var rules = new List<Rule>();
        var groups = (YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode)["groups"];
        foreach (YamlMappingNode group in groups)
        {
            foreach (YamlMappingNode rule in (YamlSequenceNode)group["rules"])
            {
                var annotations = rule.Children.TryGetValue("annotations", out var a)
                    ? ((YamlMappingNode)a).Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!, StringComparer.Ordinal)
                    : [];
                rules.Add(new Rule(((YamlScalarNode)rule["alert"]).Value!, ((YamlScalarNode)rule["expr"]).Value!.Trim(), annotations));
            }
        }

        return rules;
    }

    /// <summary>
    /// The rule's expression with its final threshold comparison turned into a <c>bool</c> one: it then returns
    /// a 0/1 sample for every series the rule watches, firing or not, so "no data" means the signal is missing.
    /// </summary>
    public static string WatchedSignal(string expr)
    {
        var match = FinalComparison().Match(expr);
        if (!match.Success)
        {
            throw new InvalidOperationException($"The alert expression does not end in a threshold comparison: {expr}");
        }

        return $"{expr[..match.Index]} {match.Groups["op"].Value} bool {match.Groups["threshold"].Value}";
    }

    [GeneratedRegex(@"\s(?<op>==|!=|>=|<=|>|<)\s*(?<threshold>[0-9.eE+-]+)\s*$")]
    private static partial Regex FinalComparison();

    public sealed record Rule(string Name, string Expr, IReadOnlyDictionary<string, string> Annotations);
}
