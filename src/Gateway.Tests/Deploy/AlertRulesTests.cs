using Glassbox.Gateway.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Glassbox.Gateway.Tests.Deploy;

/// <summary>deploy/prometheus/alerts.yml: valid for Prometheus, documented, and unit-tested rule by rule with promtool.</summary>
public sealed class AlertRulesTests
{
    private static readonly string[] RequiredAlerts =
    [
        "GlassboxRateLimitSpike", "GlassboxP99DurationHigh", "GlassboxP99TtftHigh", "GlassboxErrorRatioHigh",
        "GlassboxCircuitBreakerOpened", "GlassboxRateLimitHeadroomLow", "GlassboxAbortedStreamsSpike", "GlassboxScrapeTargetDown",
    ];

    [Fact]
    public void Alerts_EveryRequiredRule_HasSummaryRunbookAndThreshold()
    {
        var rules = AlertRulesFile.Load();
        Assert.Equal(RequiredAlerts.Order(StringComparer.Ordinal), rules.Select(r => r.Name).Order(StringComparer.Ordinal));
        foreach (var rule in rules)
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Annotations.GetValueOrDefault("summary")), $"{rule.Name} has no summary.");
            Assert.False(string.IsNullOrWhiteSpace(rule.Annotations.GetValueOrDefault("runbook")), $"{rule.Name} has no runbook line.");
            // The threshold is the number after the last comparison (documented in the file's header): it must parse.
            Assert.Contains(" bool ", AlertRulesFile.WatchedSignal(rule.Expr), StringComparison.Ordinal);
            Assert.Contains(rule.Name, File.ReadAllText(AlertRulesFile.RulesPath).Split("groups:")[0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AlertTests_EveryRule_HasAFiringAndASilentCase()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(AlertRulesFile.TestsPath))
        {
            stream.Load(reader);
        }

        var firing = new HashSet<string>(StringComparer.Ordinal);
        var silent = new HashSet<string>(StringComparer.Ordinal);
        foreach (YamlMappingNode test in (YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode)["tests"])
        {
            foreach (YamlMappingNode check in (YamlSequenceNode)test["alert_rule_test"])
            {
                var name = ((YamlScalarNode)check["alertname"]).Value!;
                (((YamlSequenceNode)check["exp_alerts"]).Children.Count > 0 ? firing : silent).Add(name);
            }
        }

        Assert.Equal(RequiredAlerts.Order(StringComparer.Ordinal), firing.Order(StringComparer.Ordinal));
        Assert.Equal(RequiredAlerts.Order(StringComparer.Ordinal), silent.Order(StringComparer.Ordinal));
    }

    [PrometheusFact("promtool")]
    public async Task PromtoolCheckRules_AlertsFile_Passes()
    {
        var (exitCode, output) = await PrometheusTools.RunAsync(PrometheusTools.Promtool!, RepositoryRoot.Combine("deploy", "prometheus"), "check", "rules", "alerts.yml");
        Assert.True(exitCode == 0, output);
        Assert.Contains($"SUCCESS: {RequiredAlerts.Length} rules found", output, StringComparison.Ordinal);
    }

    [PrometheusFact("promtool")]
    public async Task PromtoolTestRules_EveryRule_FiresOnPagingSeriesAndStaysSilentOnHealthyOnes()
    {
        var (exitCode, output) = await PrometheusTools.RunAsync(PrometheusTools.Promtool!, RepositoryRoot.Combine("deploy", "prometheus"), "test", "rules", "alerts.test.yml");
        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [PrometheusFact("promtool")]
    public async Task PromtoolCheckConfig_ComposePrometheusConfig_Passes()
    {
        // The compose stack's config names the rules by their in-container path; check it against a copy that points here.
        var directory = Directory.CreateTempSubdirectory("glassbox-promcfg-").FullName;
        try
        {
            var config = (await File.ReadAllTextAsync(RepositoryRoot.Combine("deploy", "prometheus", "prometheus.yml")))
                .Replace("/etc/prometheus/alerts.yml", AlertRulesFile.RulesPath, StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(directory, "prometheus.yml"), config);
            var (exitCode, output) = await PrometheusTools.RunAsync(PrometheusTools.Promtool!, directory, "check", "config", "prometheus.yml");
            Assert.True(exitCode == 0, output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
