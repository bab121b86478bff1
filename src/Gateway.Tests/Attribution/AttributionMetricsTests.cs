using Glassbox.Gateway.Attribution;
using Glassbox.Gateway.Tests.Infrastructure;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Glassbox.Gateway.Tests.Attribution;

/// <summary>"Which app burns the budget": cost, tokens and duration split by the configured attribution dimensions, capped.</summary>
public sealed class AttributionMetricsTests
{
    private const string Secret = "metrics-secret";

    /// <summary>Three apps, each attributed a different way: a header, baggage, and only its API key's alias.</summary>
    private static async Task SendThreeAppsAsync(HttpClient client, string model)
    {
        async Task SendAsync(HttpRequestMessage request)
        {
            using (request)
            using (var response = await client.SendAsync(request))
                await response.Content.ReadAsStringAsync();
        }

        await SendAsync(AiRequests.Post("v1/messages", model, stream: true, ("x-glassbox-app", "search"), ("x-glassbox-endpoint", "/summarize"),
            ("x-sim-input-tokens", "1000"), ("x-sim-output-tokens", "100")));
        await SendAsync(AiRequests.Post("v1/messages", model, stream: false, ("baggage", "glassbox.app=reader,glassbox.endpoint=/ask"),
            ("x-sim-input-tokens", "2000"), ("x-sim-output-tokens", "200")));
        var byKey = AiRequests.Post("v1/messages", model, stream: false, ("x-sim-input-tokens", "4000"), ("x-sim-output-tokens", "400"));
        byKey.Headers.Remove("x-api-key");
        byKey.Headers.Add("x-api-key", "sk-team-billing");
        await SendAsync(byKey);
    }

    private static Dictionary<string, string?> Settings(int? maxValues = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Glassbox:Attribution:KeyIdSecret"] = Secret,
            [$"Glassbox:Attribution:KeyAliases:{new ApiKeyId(Secret).Of("sk-team-billing")}"] = "team-billing",
        };
        if (maxValues is { } max)
            settings["Glassbox:Attribution:MaxValuesPerDimension"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
                return tag.Value?.ToString();
        }

        return null;
    }

    [Fact]
    public async Task Cost_ThreeAppsAttributedThreeWays_CostPerAppAndKeyAliasFromTheMetrics()
    {
        await using var harness = await GatewayHarness.StartAsync(Settings());
        var model = "claude-haiku-4-5-" + Guid.NewGuid().ToString("N")[..8];
        using var client = harness.CreateClient();

        await SendThreeAppsAsync(client, model);
        // All three: a response can reach the client before its call has recorded its metrics.
        harness.WaitForCallLogLines(model, 3);

        var cost = harness.MetricPoints("glassbox.cost", model);
        double CostOf(string key, string value) => cost.Where(p => Tag(p, key) == value).Sum(p => p.GetSumDouble());
        // claude-haiku-4-5: 1 $/M input, 5 $/M output.
        Assert.Equal((1000 * 1.0 + 100 * 5.0) / 1e6, CostOf("glassbox.app", "search"), 12);
        Assert.Equal((2000 * 1.0 + 200 * 5.0) / 1e6, CostOf("glassbox.app", "reader"), 12);
        Assert.Equal((4000 * 1.0 + 400 * 5.0) / 1e6, CostOf("glassbox.api_key.alias", "team-billing"), 12);
        Assert.Equal("/summarize", Tag(cost.Single(p => Tag(p, "glassbox.app") == "search"), "glassbox.endpoint"));
        var tokens = harness.MetricPoints("gen_ai.client.token.usage", model);
        Assert.Contains(tokens, p => Tag(p, "glassbox.app") == "reader" && Tag(p, "gen_ai.token.type") == "input");
        var duration = harness.MetricPoints("gen_ai.client.operation.duration", model);
        Assert.Equal(3, duration.Count);
        // Only the three configured dimensions: no user, no key id, on any instrument.
        Assert.DoesNotContain(cost.Concat(tokens).Concat(duration), p => Tag(p, "glassbox.api_key.id") is not null || Tag(p, "user.id") is not null);
        // Instruments outside the list carry none of them.
        Assert.All(harness.MetricPoints("gen_ai.client.operation.time_to_first_chunk", model), p => Assert.Null(Tag(p, "glassbox.app")));
    }

    [Fact]
    public async Task Cost_MoreAppsThanTheCap_LaterAppsAreOtherAndCounted()
    {
        await using var harness = await GatewayHarness.StartAsync(Settings(maxValues: 2));
        var model = "claude-haiku-4-5-" + Guid.NewGuid().ToString("N")[..8];
        using var client = harness.CreateClient();

        foreach (var app in (string[])["a1", "a2", "a3", "a4"])
        {
            using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false, ("x-glassbox-app", app)));
            await response.Content.ReadAsStringAsync();
        }

        var apps = harness.MetricPoints("glassbox.cost", model).Select(p => Tag(p, "glassbox.app")).ToHashSet();
        Assert.Equal(new HashSet<string?> { "a1", "a2", "_other" }, apps);
        Assert.True(harness.CounterTotal("glassbox.attribution.overflow") >= 2);
        // The span keeps the real value.
        Assert.Contains(harness.Spans.Ended, s => Equals(s.GetTagItem("glassbox.app"), "a4"));
    }

    [Fact]
    public async Task Cost_TwelveDimensions_EveryAttributedMeasurementCarriesThemAll()
    {
        // More tags than the stack room for one call's measurements: the tags go to the heap, none is lost.
        var settings = Settings();
        var names = Enumerable.Range(0, 12).Select(i => $"t{i}").ToArray();
        for (var i = 0; i < names.Length; i++)
            settings[$"Glassbox:Attribution:MetricDimensions:{i}"] = $"glassbox.tag.{names[i]}";
        await using var harness = await GatewayHarness.StartAsync(settings);
        var model = "claude-haiku-4-5-" + Guid.NewGuid().ToString("N")[..8];
        using var client = harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true,
            [.. names.Select(n => ($"x-glassbox-tag-{n}", $"v-{n}"))]));
        await response.Content.ReadAsStringAsync();

        foreach (var instrument in (string[])["glassbox.cost", "glassbox.tokens", "gen_ai.client.token.usage", "gen_ai.client.operation.duration"])
        {
            var points = harness.MetricPoints(instrument, model);
            Assert.NotEmpty(points);
            Assert.All(points, p =>
            {
                Assert.All(names, n => Assert.Equal($"v-{n}", Tag(p, $"glassbox.tag.{n}")));
                Assert.Equal("true", Tag(p, "gen_ai.request.stream"), ignoreCase: true);
                Assert.NotNull(Tag(p, "server.port"));
            });
        }
    }

    [Fact]
    public async Task Otlp_AttributedCall_ReachesTheDashboardWithItsAttribution()
    {
        await using var dashboard = await AspireDashboard.StartAsync();
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>(Settings())
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.OtlpGrpcEndpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["OTEL_SERVICE_NAME"] = $"glassbox-attr-{Guid.NewGuid():N}",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        var model = AiRequests.UniqueModel("claude-attr");
        using var client = harness.CreateClient();
        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true,
            ("x-glassbox-app", "search"), ("baggage", "glassbox.endpoint=%2Fsummarize,user.id=u-7"), ("x-glassbox-tag-feature", "digest")));
        await response.Content.ReadAsStringAsync();
        var traceId = Assert.Single(response.Headers.GetValues("traceresponse")).Split('-')[1];
        await harness.WaitForCallSpanAsync(model);
        harness.GatewayServices.GetRequiredService<TracerProvider>().ForceFlush(10_000);

        var span = await dashboard.WaitForTraceSpanAsync(traceId, s => s.GetProperty("name").GetString() == $"chat {model}");

        Assert.Equal("search", AspireDashboard.Attribute(span, "glassbox.app"));
        Assert.Equal("/summarize", AspireDashboard.Attribute(span, "glassbox.endpoint"));
        Assert.Equal("u-7", AspireDashboard.Attribute(span, "user.id"));
        Assert.Equal("digest", AspireDashboard.Attribute(span, "glassbox.tag.feature"));
        Assert.Equal(new ApiKeyId(Secret).Of(AiRequests.ApiKey), AspireDashboard.Attribute(span, "glassbox.api_key.id"));
        Assert.DoesNotContain(AiRequests.ApiKey, span.GetRawText(), StringComparison.Ordinal);
    }
}
