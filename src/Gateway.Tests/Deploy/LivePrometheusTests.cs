using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Glassbox.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Glassbox.Gateway.Tests.Deploy;

/// <summary>
/// The dashboards and alert rules against real data: a real Prometheus scrapes the gateway every second while
/// traffic through it to the simulated upstream produces every series they read; then every panel expression and
/// every alert expression runs through Prometheus's HTTP API.
/// </summary>
[Collection(ScrapeTestGroup.Name)]
public sealed class LivePrometheusTests(ITestOutputHelper output)
{
    private const string ScrapeConfig = """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
          - {rules}/alerts.yml
        scrape_configs:
          - job_name: glassbox
            metrics_path: /metrics
            static_configs:
              - targets: ["{target}"]
        """;

    [PrometheusFact("prometheus")]
    public async Task EveryDashboardAndAlertQuery_OnLiveTraffic_IsValidAndReturnsData()
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Glassbox:Upstreams:Anthropic:Retry:BaseDelay"] = "00:00:00.001",
            ["Glassbox:Upstreams:OpenAI:Retry:BaseDelay"] = "00:00:00.001",
            // A third upstream whose circuit opens after two failures and half-opens a second later.
            ["Glassbox:Upstreams:Flaky:BaseUrl"] = GatewayHarness.SimulatorPlaceholder,
            ["Glassbox:Upstreams:Flaky:Provider"] = "anthropic",
            ["Glassbox:Upstreams:Flaky:Api"] = "Anthropic",
            ["Glassbox:Upstreams:Flaky:PathPrefix"] = "/flaky",
            ["Glassbox:Upstreams:Flaky:Retry:MaxRetries"] = "0",
            ["Glassbox:Upstreams:Flaky:CircuitBreaker:MinimumThroughput"] = "2",
            ["Glassbox:Upstreams:Flaky:CircuitBreaker:SamplingDuration"] = "00:00:05",
            ["Glassbox:Upstreams:Flaky:CircuitBreaker:BreakDuration"] = "00:00:00.5",
        });
        var target = harness.GatewayUri.Authority;
        await using var prometheus = await PrometheusServer.StartAsync(ScrapeConfig.Replace("{target}", target, StringComparison.Ordinal), AlertRulesFile.RulesPath);
        await WaitForAsync(prometheus, "up{job=\"glassbox\"} == 1", "the first successful scrape of the gateway");

        using var client = harness.CreateClient();
        // Two waves a few scrapes apart: the first creates every series, the second moves every counter, so
        // rate(), increase() and histogram_quantile() have two different samples to work on.
        // Waiting until Prometheus holds every call of a wave (not a fixed sleep) keeps this right on a slow machine.
        var calls = await DriveTrafficAsync(client);
        await WaitForAsync(prometheus, $"sum(gen_ai_client_operation_duration_seconds_count{{job=\"glassbox\"}}) >= {calls}", $"the {calls} calls of the first wave");
        calls += await DriveTrafficAsync(client);
        await WaitForAsync(prometheus, $"sum(gen_ai_client_operation_duration_seconds_count{{job=\"glassbox\"}}) >= {calls}", $"the {calls} calls of both waves");
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // A rule evaluation or two on the final samples.

        var report = new StringBuilder();
        var failures = new List<string>();
        var dashboard = DashboardFile.Load(DashboardFile.LlmTraffic);
        foreach (var panel in dashboard.Panels)
        {
            foreach (var expr in panel.Expressions)
            {
                await CheckAsync(prometheus, $"panel '{panel.Title}'", DashboardFile.Substitute(expr), report, failures);
            }
        }

        foreach (var variable in dashboard.Variables.Where(v => v.Definition is not null))
        {
            await CheckVariableAsync(prometheus, variable, report, failures);
        }

        foreach (var rule in AlertRulesFile.Load())
        {
            // As written: valid, and firing (series) or not (none) depending on the traffic...
            var firing = await QueryOrFailAsync(prometheus, rule.Expr, $"alert {rule.Name}", failures);
            report.AppendLine(CultureInfo.InvariantCulture, $"alert {rule.Name} (as written): {firing?.GetArrayLength().ToString(CultureInfo.InvariantCulture) ?? "INVALID"} firing series");
            // ...and with its threshold as a bool comparison: one 0/1 sample per watched series, which must exist.
            await CheckAsync(prometheus, $"alert {rule.Name} (watched signal)", AlertRulesFile.WatchedSignal(rule.Expr), report, failures);
        }

        var rules = await prometheus.GetAsync("api/v1/rules");
        foreach (var rule in rules.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()))
        {
            var health = rule.GetProperty("health").GetString();
            report.AppendLine(CultureInfo.InvariantCulture, $"rule {rule.GetProperty("name").GetString()}: health {health}, state {rule.GetProperty("state").GetString()}");
            if (health != "ok")
            {
                failures.Add($"rule {rule.GetProperty("name").GetString()} evaluates with health '{health}': {rule.GetProperty("lastError")}");
            }
        }

        var exemplars = await prometheus.GetAsync(
            $"api/v1/query_exemplars?query=gen_ai_client_operation_duration_seconds_bucket&start={DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds()}&end={DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds()}");
        var withTrace = exemplars.EnumerateArray().SelectMany(s => s.GetProperty("exemplars").EnumerateArray())
            .Count(e => e.GetProperty("labels").TryGetProperty("trace_id", out var id) && id.GetString()!.Length == 32);
        report.AppendLine(CultureInfo.InvariantCulture, $"exemplars with a trace_id on gen_ai_client_operation_duration_seconds_bucket: {withTrace}");
        if (withTrace == 0)
        {
            failures.Add("No exemplar with a trace_id reached Prometheus: latency panels could not link to traces.");
        }

        output.WriteLine(report.ToString());
        Assert.True(failures.Count == 0, string.Join('\n', failures) + "\n\n" + report + "\nPrometheus output:\n" + prometheus.Output);
    }

    /// <returns>The number of AI calls sent.</returns>
    private static async Task<int> DriveTrafficAsync(HttpClient client)
    {
        (string, string)[] paced = [("x-sim-ttft-ms", "20"), ("x-sim-delta-gap-ms", "5")];
        var calls = new List<Task>
        {
            // Several models, streaming and not, cache hits and misses, every token kind.
            AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", "claude-sonnet-4-5", stream: true, [.. paced, ("x-sim-cache-read-tokens", "100")])),
            AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", "claude-sonnet-4-5", stream: true, [.. paced, ("x-sim-cache-creation-tokens", "50")])),
            AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", "claude-haiku-4-5", stream: false, ("x-sim-headers-delay-ms", "10"),
                ("x-glassbox-app", "search"), ("x-glassbox-endpoint", "/summarize"))),
            AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", "claude-haiku-4-5", stream: true, [.. paced, ("x-sim-cache-read-tokens", "30")])),
            AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/chat/completions", "gpt-4o", stream: true, [.. paced, ("x-sim-reasoning-tokens", "5"), ("x-sim-cache-read-tokens", "10")])),
            AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/chat/completions", "gpt-4o-mini", stream: false)),
            AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/responses", "gpt-4.1", stream: true, paced)),
            // A 429 that succeeds on its retry, a 529, a stream the upstream cuts, an in-stream overloaded error.
            AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", "claude-sonnet-4-5", stream: true,
                ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-after-ms", "1"), ("x-sim-fail-times", "1"), ("x-sim-scenario", Guid.NewGuid().ToString("N")))),
            AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", "claude-haiku-4-5", stream: false, ("x-sim-fault", "status"), ("x-sim-status", "529"), ("x-sim-should-retry", "false"))),
            AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", "claude-sonnet-4-5", stream: true, ("x-sim-fault", "reset"), ("x-sim-fault-after", "2"))),
            AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", "claude-sonnet-4-5", stream: true, ("x-sim-fault", "error-event"), ("x-sim-fault-after", "2"))),
            DisconnectMidStreamAsync(client),
        };
        await Task.WhenAll(calls);

        // The circuit of Flaky opens (two 500s), its next call fails fast, and after the break it half-opens.
        for (var i = 0; i < 3; i++)
        {
            await AiRequests.SendAndReadAsync(client, AiRequests.PostRaw("flaky/v1/messages", AiRequests.Body("v1/messages", "claude-haiku-4-5", stream: false), ("x-sim-fault", "status"), ("x-sim-status", "500")));
        }

        // Last on each built-in upstream: 429s whose rate-limit headers say 0 remaining, after two retries each.
        await AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/chat/completions", "gpt-4o", stream: false, ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-after-ms", "1")));
        await AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", "claude-sonnet-4-5", stream: false, ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-after-ms", "1")));
        return calls.Count + 3 + 2;
    }

    /// <summary>A client that reads the first bytes of a slow stream and leaves.</summary>
    private static async Task DisconnectMidStreamAsync(HttpClient client)
    {
        using var request = AiRequests.Post("v1/messages", "claude-sonnet-4-5", stream: true, ("x-sim-deltas", "40"), ("x-sim-delta-gap-ms", "50"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[256];
        _ = await body.ReadAsync(buffer);
    }

    private static async Task CheckAsync(PrometheusServer prometheus, string what, string promql, StringBuilder report, List<string> failures)
    {
        var result = await QueryOrFailAsync(prometheus, promql, what, failures);
        if (result is not { } series)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"{what}: INVALID\n    {promql}");
            return;
        }

        var numbers = series.EnumerateArray().Count(s => double.TryParse(s.GetProperty("value")[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && !double.IsNaN(v));
        report.AppendLine(CultureInfo.InvariantCulture, $"{what}: {series.GetArrayLength()} series ({numbers} with a number)\n    {promql}");
        if (numbers == 0)
        {
            failures.Add($"{what} returned no data ({series.GetArrayLength()} series, none with a number): {promql}");
        }
    }

    private static async Task<JsonElement?> QueryOrFailAsync(PrometheusServer prometheus, string promql, string what, List<string> failures)
    {
        try
        {
            return await prometheus.QueryAsync(promql);
        }
        catch (InvalidOperationException e)
        {
            failures.Add($"{what} is invalid: {e.Message}");
            return null;
        }
    }

    /// <summary><c>label_values(selector, label)</c>: Grafana asks Prometheus's label-values API with the selector as match[].</summary>
    private static async Task CheckVariableAsync(PrometheusServer prometheus, DashboardFile.Variable variable, StringBuilder report, List<string> failures)
    {
        var definition = variable.Definition!;
        var inner = definition["label_values(".Length..^1];
        var comma = inner.LastIndexOf(',');
        var selector = DashboardFile.Substitute(inner[..comma].Trim());
        var label = inner[(comma + 1)..].Trim();
        var values = await prometheus.GetAsync($"api/v1/label/{label}/values?match[]={Uri.EscapeDataString(selector)}");
        var list = values.EnumerateArray().Select(v => v.GetString()).ToList();
        report.AppendLine(CultureInfo.InvariantCulture, $"variable ${variable.Name}: {list.Count} values ({string.Join(", ", list)})\n    {definition}");
        if (list.Count == 0)
        {
            failures.Add($"variable ${variable.Name} has no values: {definition}");
        }
    }

    private static async Task WaitForAsync(PrometheusServer prometheus, string promql, string what)
    {
        var deadline = Stopwatch.StartNew();
        while ((await prometheus.QueryAsync(promql)).GetArrayLength() == 0)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"Prometheus never saw {what}:\n{prometheus.Output}");
            }

            await Task.Delay(200);
        }
    }
}
