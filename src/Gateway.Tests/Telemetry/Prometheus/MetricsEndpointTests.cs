using System.Net;
using System.Text.RegularExpressions;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream;

namespace Glassbox.Gateway.Tests.Telemetry.Prometheus;

/// <summary>GET /metrics: what a Prometheus scrape of the gateway gets, and what it never gets.</summary>
[Collection(ScrapeTestGroup.Name)]
public sealed partial class MetricsEndpointTests
{
    /// <summary>The GenAI semantic-convention bucket advice for durations, as Prometheus <c>le</c> values.</summary>
    private static readonly string[] DurationBuckets = ["0.01", "0.02", "0.04", "0.08", "0.16", "0.32", "0.64", "1.28", "2.56", "5.12", "10.24", "20.48", "40.96", "81.92", "+Inf"];

    [Fact]
    public async Task Get_AfterCalls_ServesEveryReferenceMetricInPrometheusText()
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Glassbox:Upstreams:OpenAI:Retry:BaseDelay"] = "00:00:00.001" });
        using var client = harness.CreateClient();
        var model = AiRequests.UniqueModel("claude-sonnet-4-5");
        await AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", model, stream: true, ("x-sim-cache-read-tokens", "40"), ("x-sim-cache-creation-tokens", "7"), ("x-sim-delta-gap-ms", "5")));
        await AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", model, stream: false));
        await AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/chat/completions", "gpt-4o", stream: true, ("x-sim-reasoning-tokens", "3")));
        await AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/chat/completions", "gpt-4o", stream: false, ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-after-ms", "1")));
        await AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", model, stream: true, ("x-sim-fault", "reset"), ("x-sim-fault-after", "2")));

        var (contentType, text) = await ScrapeAsync(client);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", contentType);
        foreach (var family in new[]
                 {
                     "gen_ai_client_operation_duration_seconds histogram", "gen_ai_client_token_usage histogram",
                     "gen_ai_client_operation_time_to_first_chunk_seconds histogram", "gen_ai_client_operation_time_per_output_chunk_seconds histogram",
                     "glassbox_retries_total counter", "glassbox_circuit_breaker_transitions_total counter", "glassbox_stream_aborted_total counter",
                     "glassbox_cost_USD_total counter", "glassbox_gateway_overhead_seconds histogram", "glassbox_ratelimit_remaining gauge",
                     "glassbox_ratelimit_limit gauge", "glassbox_tokens_total counter", "glassbox_output_token_rate_per_second histogram",
                     // ASP.NET Core, HttpClient and the runtime's own meters.
                     "http_server_request_duration_seconds histogram", "http_client_request_duration_seconds histogram",
                     "kestrel_active_connections gauge", "dotnet_gc_collections_total counter", "dotnet_process_memory_working_set_bytes gauge",
                 })
        {
            Assert.Contains($"# TYPE {family}\n", text, StringComparison.Ordinal);
        }

        var durationLines = Lines(text, "gen_ai_client_operation_duration_seconds_bucket", model);
        Assert.Equal(DurationBuckets, durationLines.Select(l => LeLabel().Match(l).Groups[1].Value).Distinct());
        Assert.Contains(durationLines, l => l.Contains("glassbox_cache_hit=\"true\"", StringComparison.Ordinal) && l.Contains("gen_ai_request_stream=\"true\"", StringComparison.Ordinal));
        Assert.Contains(durationLines, l => l.Contains("glassbox_cache_hit=\"false\"", StringComparison.Ordinal) && l.Contains("gen_ai_request_stream=\"false\"", StringComparison.Ordinal));
        Assert.Contains(durationLines, l => l.Contains("ai_error_type=\"stream_interrupted\"", StringComparison.Ordinal));
        Assert.All(durationLines, l => Assert.Contains("glassbox_upstream=\"Anthropic\",", l, StringComparison.Ordinal));
        Assert.All(durationLines, l => Assert.Contains("glassbox_route=\"/v1/messages\"", l, StringComparison.Ordinal));
        Assert.Contains(Lines(text, "gen_ai_client_operation_time_to_first_chunk_seconds_bucket", model), l => l.Contains("glassbox_cache_hit=\"true\"", StringComparison.Ordinal));
        Assert.Contains(Lines(text, "gen_ai_client_operation_duration_seconds_count", "gpt-4o"), l => l.Contains("ai_error_type=\"rate_limit\"", StringComparison.Ordinal));
        Assert.Contains(Lines(text, "glassbox_retries_total", "gpt-4o"), l => l.Contains("glassbox_retry_reason=\"429\"", StringComparison.Ordinal) && l.EndsWith(" 2", StringComparison.Ordinal));
        Assert.Contains(Lines(text, "glassbox_stream_aborted_total", model), l => l.Contains("glassbox_end_reason=\"upstream_interrupted\"", StringComparison.Ordinal));
        foreach (var (type, count) in new[] { ("cache_read", 40), ("cache_creation", 7) })
        {
            Assert.Contains(Lines(text, "glassbox_tokens_total", model), l => l.Contains($"glassbox_token_type=\"{type}\"", StringComparison.Ordinal) && l.EndsWith($" {count}", StringComparison.Ordinal));
        }

        Assert.Contains(Lines(text, "glassbox_tokens_total", "gpt-4o"), l => l.Contains("glassbox_token_type=\"reasoning\"", StringComparison.Ordinal) && l.EndsWith(" 3", StringComparison.Ordinal));
        // Declared at start-up, before any circuit opened: the first opening is an increase Prometheus sees.
        Assert.Contains("glassbox_circuit_breaker_transitions_total{otel_scope_name=\"Glassbox.Gateway\",glassbox_circuit_state=\"open\",glassbox_upstream=\"Anthropic\"} 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AskingForOpenMetrics_ServesOpenMetrics()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var client = harness.CreateClient();
        await AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", AiRequests.UniqueModel("om"), stream: true));
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Accept.ParseAdd("application/openmetrics-text; version=1.0.0; charset=utf-8");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/openmetrics-text; version=1.0.0", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("# EOF\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE gen_ai_client_operation_duration_seconds histogram", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Labels_CarryNoKeyPromptOrIds()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var client = harness.CreateClient();
        var model = AiRequests.UniqueModel("secret-check");
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true, ("x-sim-id", "uniqcore42")));
        var body = await response.Content.ReadAsStringAsync();
        var traceId = response.Headers.GetValues("traceresponse").Single().Split('-')[1];

        var (_, text) = await ScrapeAsync(client);
        Assert.Contains(model, text, StringComparison.Ordinal);
        foreach (var secret in new[] { AiRequests.ApiKey, AiRequests.Prompt, "uniqcore42", traceId, "word0" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_AsCallsGrow_SeriesCountStaysFlat()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var client = harness.CreateClient();
        var model = AiRequests.UniqueModel("flat");
        await SendManyAsync(client, model, 5);
        var (_, before) = await ScrapeAsync(client);
        await SendManyAsync(client, model, 40);
        var (_, after) = await ScrapeAsync(client);

        // Same series, larger counts: the scrape grows with distinct dimensions, never with calls.
        Assert.Equal(SeriesOf(before, model), SeriesOf(after, model));
        Assert.NotEqual(Lines(before, "gen_ai_client_operation_duration_seconds_count", model), Lines(after, "gen_ai_client_operation_duration_seconds_count", model));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task NonGetMethod_GetsMethodNotAllowed_AndIsNotForwarded(string method)
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var client = harness.CreateClient();
        var stats = harness.SimulatorServices.GetRequiredService<SimulatorStats>();
        var before = stats.Requests;
        using var request = new HttpRequestMessage(new HttpMethod(method), "metrics") { Content = new StringContent("{\"model\":\"x\"}") };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow));
        Assert.Equal(before, stats.Requests);
    }

    [Fact]
    public async Task MalformedScrapeRequests_GetHttpAnswers_AndNoExceptionIsLogged()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var client = harness.CreateClient();
        var accepts = new[]
        {
            "application/openmetrics-text; version=banana", ";;;,,,=", "text/plain; q=abc", "application/openmetrics-text; version=1.0.0; q=2",
            new string('a', 8000), "*/*;version=0.0.4;escaping=nonsense",
        };
        foreach (var accept in accepts)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "metrics?name[]=%ZZ&x=" + new string('q', 2000));
            request.Headers.TryAddWithoutValidation("Accept", accept);
            using var response = await client.SendAsync(request);
            Assert.True((int)response.StatusCode < 500, $"Accept '{accept[..Math.Min(40, accept.Length)]}' got {(int)response.StatusCode}.");
        }

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "metrics"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Contains("Exception", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ManagementPort_ServesMetricsOnlyThere_AndForwardsNothing()
    {
        var port = LoopbackApp.FreePort();
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Glassbox:Metrics:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var client = harness.CreateClient();
        var stats = harness.SimulatorServices.GetRequiredService<SimulatorStats>();
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        using var scrape = await management.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("# TYPE ", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var onTrafficPort = await client.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, onTrafficPort.StatusCode);

        var before = stats.Requests;
        using var call = await management.SendAsync(AiRequests.Post("v1/messages", "mgmt", stream: false));
        Assert.Equal(HttpStatusCode.NotFound, call.StatusCode);
        Assert.Equal(before, stats.Requests);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0", "http://127.0.0.1:9464")]
    [InlineData("http://+:8080;https://+:8443", "http://+:9464")]
    [InlineData("http://[::1]:5000", "http://[::1]:9464")]
    [InlineData("http://localhost", "http://localhost:9464")]
    public void ManagementUrl_UsesTheHostOfTheFirstListenAddress(string urls, string expected)
    {
        Assert.Equal(expected, Glassbox.Gateway.Telemetry.Prometheus.MetricsEndpoint.ManagementUrl(urls, 9464));
    }

    [Fact]
    public async Task CustomPath_ServesThere()
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Glassbox:Metrics:Path"] = "/internal/prometheus" });
        using var client = harness.CreateClient();
        using var response = await client.GetAsync(new Uri("internal/prometheus", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("# TYPE ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WithOtlpExportOn_StillServesTheSameMetrics()
    {
        // Nothing listens there: OTLP export fails quietly in the background, the scrape does not care.
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{LoopbackApp.FreePort()}" });
        using var client = harness.CreateClient();
        var model = AiRequests.UniqueModel("otlp-on");
        await AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", model, stream: true));
        var (_, text) = await ScrapeAsync(client);
        Assert.NotEmpty(Lines(text, "gen_ai_client_operation_duration_seconds_count", model));
    }

    private static async Task SendManyAsync(HttpClient client, string model, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", model, stream: i % 2 == 0, ("x-sim-delta-gap-ms", "2"), ("x-sim-cache-read-tokens", i % 3 == 0 ? "10" : "0")));
        }
    }

    /// <summary>Scrapes once the call metrics are recorded (they follow the response), past the exporter's 300 ms response cache.</summary>
    [Fact]
    public async Task Get_FrameworkHistogramUnderItsSeriesLimit_KeepsItsOwnBucketAdvice()
    {
        // The series-limit view (MetricStreamLimits) must not replace an instrument's bucket advice with the SDK's defaults.
        await using var harness = await GatewayHarness.StartAsync();
        using var client = harness.CreateClient();
        await AiRequests.SendAndReadAsync(client, AiRequests.Post("v1/messages", AiRequests.UniqueModel("claude-sonnet-4-5"), stream: false));

        var (_, text) = await ScrapeAsync(client);

        string[] aspNetCoreAdvice = ["0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1", "2.5", "5", "7.5", "10", "+Inf"];
        foreach (var family in new[] { "http_server_request_duration_seconds_bucket", "http_client_request_duration_seconds_bucket" })
        {
            var buckets = text.Split('\n').Where(l => l.StartsWith(family + "{", StringComparison.Ordinal)).Select(l => LeLabel().Match(l).Groups[1].Value).Distinct();
            Assert.Equal(aspNetCoreAdvice, buckets);
        }
    }

    private static async Task<(string? ContentType, string Text)> ScrapeAsync(HttpClient client)
    {
        await Task.Delay(400);
        using var response = await client.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Content.Headers.ContentType?.ToString(), (await response.Content.ReadAsStringAsync()).ReplaceLineEndings("\n"));
    }

    private static List<string> Lines(string text, string name, string model) =>
        [.. text.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains($"gen_ai_request_model=\"{model}\"", StringComparison.Ordinal))];

    /// <summary>The series (name and labels, without values) that mention the model.</summary>
    private static List<string> SeriesOf(string text, string model) =>
        [.. text.Split('\n').Where(l => !l.StartsWith('#') && l.Contains($"\"{model}\"", StringComparison.Ordinal)).Select(l => l[..l.LastIndexOf(' ')]).Order(StringComparer.Ordinal)];

    [GeneratedRegex("le=\"([^\"]+)\"")]
    private static partial Regex LeLabel();
}
