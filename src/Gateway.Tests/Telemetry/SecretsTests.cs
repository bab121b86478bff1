using System.Diagnostics;
using System.Net;
using System.Text;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.Gateway.Tests.Infrastructure.Audit;

namespace Glassbox.Gateway.Tests.Telemetry;

/// <summary>
/// "No API key or prompt text appears in any exported attribute or log line": a spread of calls,
/// good and bad, with a distinctive key and prompt, then a search of everything the gateway exported.
/// </summary>
public sealed class SecretsTests
{
    private const string GatewayKey = "sk-gw-injected-secret-5150";

    private static readonly string[] Forbidden = [AiRequests.ApiKey, GatewayKey, "Bearer", "sk-ant", AiRequests.Prompt];

    [Fact]
    public async Task Calls_EveryDialectAndFailureKind_NoKeyOrPromptInAnySpanMetricOrLogLine()
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Glassbox:MaxRequestBodyBytes"] = "4096",
            ["Glassbox:Upstreams:OpenAI:ApiKey"] = GatewayKey,
            ["Glassbox:Upstreams:Anthropic:Retry:BaseDelay"] = "00:00:00.01",
            ["Glassbox:Upstreams:OpenAI:Retry:BaseDelay"] = "00:00:00.01",
            ["Glassbox:Upstreams:Anthropic:CircuitBreaker:Enabled"] = "false",
            ["Glassbox:Upstreams:OpenAI:CircuitBreaker:Enabled"] = "false",
        });
        using var client = harness.CreateClient();
        var traces = new List<ActivityTraceId>();

        async Task SendAsync(HttpRequestMessage request, HttpStatusCode expected)
        {
            using (request)
            using (var response = await client.SendAsync(request))
            {
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(expected == response.StatusCode, $"{request.RequestUri}: {response.StatusCode} {body}");
                traces.Add(TraceOf(response));
            }
        }

        foreach (var path in new[] { "v1/messages", "v1/chat/completions", "v1/responses" })
        {
            foreach (var stream in new[] { true, false })
            {
                await SendAsync(AiRequests.Post(path, AiRequests.UniqueModel("secret"), stream), HttpStatusCode.OK);
            }
        }

        var scenario = Guid.NewGuid().ToString("N");
        await SendAsync(AiRequests.Post("v1/messages", "secret-429", stream: true,
            ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-after-ms", "10"), ("x-sim-fail-times", "1"), ("x-sim-scenario", scenario)), HttpStatusCode.OK);
        await SendAsync(AiRequests.Post("v1/chat/completions", "secret-500", stream: false,
            ("x-sim-fault", "status"), ("x-sim-status", "500")), HttpStatusCode.InternalServerError);
        await SendAsync(AiRequests.Post("v1/messages", "secret-401", stream: false, ("x-sim-fault", "status"), ("x-sim-status", "401")), HttpStatusCode.Unauthorized);
        await SendAsync(AiRequests.Post("v1/responses", "secret-reset", stream: true, ("x-sim-fault", "reset"), ("x-sim-fault-after", "2")), HttpStatusCode.OK);
        await SendAsync(AiRequests.Post("v1/messages", "secret-error-event", stream: true, ("x-sim-fault", "error-event"), ("x-sim-fault-after", "1")), HttpStatusCode.OK);
        await SendAsync(AiRequests.PostRaw("v1/messages",
            $$"""{"model":"secret-413","max_tokens":10,"messages":[{"role":"user","content":"{{string.Concat(Enumerable.Repeat(AiRequests.Prompt + " ", 200))}}"}]}"""),
            HttpStatusCode.RequestEntityTooLarge);
        await SendAsync(AiRequests.PostRaw("v1/chat/completions", $$"""{"model":"secret-badjson","messages":[{"role":"user","content":"{{AiRequests.Prompt}}"}"""),
            HttpStatusCode.BadRequest);
        var keyless = AiRequests.Post("v1/chat/completions", "secret-injected", stream: true);
        keyless.Headers.Authorization = null;
        await SendAsync(keyless, HttpStatusCode.OK);
        traces.Add(await DisconnectMidStreamAsync(harness));

        await WaitForServerSpansAsync(harness, traces);
        var spans = traces.SelectMany(harness.SpansOfTrace).ToList();
        Assert.Equal(15, spans.Count(s => s.Source.Name == "Glassbox.Gateway" && s.Kind == ActivityKind.Client));
        Assert.Contains(spans, s => s.Events.Any(e => e.Name == "exception"));
        Assert.Contains(spans, s => Equals(s.GetTagItem("ai.error.type"), "client_disconnected"));
        AssertClean(TelemetryTexts.OfSpans(spans).Concat(MetricTexts(harness, lastModel: "secret-disconnect")).Concat(LogTexts(harness)), Forbidden);
    }

    /// <summary>
    /// Keys in every place an SDK puts one (<c>x-api-key</c>, <c>Authorization</c>, <c>x-goog-api-key</c>, <c>?key=</c>),
    /// through hostile upstreams and the gateway's own error answers: no key and no prompt in any span, metric, log
    /// line, nor in any error body the gateway wrote.
    /// </summary>
    [Fact]
    public async Task Calls_HostileUpstreamsAndKeysInEveryLocation_NoSecretInTelemetryOrErrorBodies()
    {
        const string GoogleKey = "AIzaSy-google-secret-key-9d1e";
        const string QueryKey = "query-secret-key-44b7";
        string[] forbidden = [.. Forbidden, GoogleKey, QueryKey];
        await using var raw = new Glassbox.SimulatedUpstream.Hostile.RawHostileServer(Glassbox.SimulatedUpstream.Hostile.HostileKind.MalformedStatus);
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Glassbox:MaxRequestBodyBytes"] = "4096",
            ["Glassbox:Upstreams:Anthropic:Retry:MaxRetries"] = "0",
            ["Glassbox:Upstreams:OpenAI:Retry:MaxRetries"] = "0",
            ["Glassbox:Upstreams:Broken:BaseUrl"] = raw.Uri.ToString().TrimEnd('/'),
            ["Glassbox:Upstreams:Broken:Provider"] = "broken",
            ["Glassbox:Upstreams:Broken:Api"] = "OpenAI",
            ["Glassbox:Upstreams:Broken:PathPrefix"] = "/broken",
        });
        using var client = harness.CreateClient();
        var traces = new List<ActivityTraceId>();
        var bodies = new List<EmittedText>();

        async Task SendAsync(string path, string model, bool stream, params (string, string)[] headers)
        {
            var dialectPath = path.StartsWith("broken/", StringComparison.Ordinal) ? path["broken/".Length..] : path;
            using var request = AiRequests.PostRaw(path + $"?key={QueryKey}", AiRequests.Body(dialectPath, model, stream), [("x-goog-api-key", GoogleKey), .. headers]);
            HttpResponseMessage response;
            string body;
            try
            {
                response = await client.SendAsync(request);
                body = await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException)
            {
                // The gateway aborted the response as the upstream broke it (short-body): found through its model.
                traces.Add((await harness.WaitForCallSpanAsync(model)).TraceId);
                return;
            }

            using (response)
            {
                if ((int)response.StatusCode >= 400 && !response.Headers.Contains("request-id") && !response.Headers.Contains("x-request-id"))
                {
                    bodies.Add(new($"gateway's {(int)response.StatusCode} body for {model}", body)); // written by the gateway, not the upstream
                }

                traces.Add(TraceOf(response));
            }
        }

        foreach (var hostile in new[] { "html-200", "sse-json", "short-body", "close-before-headers" })
        {
            await SendAsync("v1/messages", $"secret-{hostile}", stream: true, ("x-sim-hostile", hostile));
        }

        await SendAsync("v1/chat/completions", "secret-retry-after", stream: false, ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-after", "99999"));
        await SendAsync("v1/messages", "secret-huge-event", stream: true, ("x-sim-hostile", "huge-event"), ("x-sim-hostile-bytes", "100000"));
        await SendAsync("broken/v1/chat/completions", "secret-malformed-status", stream: false);
        await SendAsync("v1/responses", "secret-" + new string('x', 300) + AiRequests.Prompt, stream: false);
        using (var tooLarge = AiRequests.PostRaw($"v1/messages?key={QueryKey}",
                   $$"""{"model":"secret-413","messages":[{"role":"user","content":"{{string.Concat(Enumerable.Repeat(AiRequests.Prompt + " ", 200))}}"}]}"""))
        using (var response = await client.SendAsync(tooLarge))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            bodies.Add(new("gateway's 413 body", await response.Content.ReadAsStringAsync()));
            traces.Add(TraceOf(response));
        }

        Assert.Contains(bodies, b => b.Where.Contains("502", StringComparison.Ordinal));
        await WaitForServerSpansAsync(harness, traces);
        var spans = traces.SelectMany(harness.SpansOfTrace).ToList();
        Assert.Equal(9, spans.Count(s => s.Source.Name == "Glassbox.Gateway" && s.Kind == ActivityKind.Client));
        AssertClean(TelemetryTexts.OfSpans(spans).Concat(MetricTexts(harness, lastModel: "secret-413")).Concat(LogTexts(harness)).Concat(bodies), forbidden);
    }

    [Fact]
    public async Task Calls_WithContentCaptureOn_PromptOnlyInInputMessagesAndKeyNowhere()
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Glassbox:CaptureMessageContent"] = "true" });
        using var client = harness.CreateClient();
        var traces = new List<ActivityTraceId>();
        var model = "";

        foreach (var path in new[] { "v1/messages", "v1/chat/completions", "v1/responses" })
        {
            model = AiRequests.UniqueModel("capture");
            using var response = await client.SendAsync(AiRequests.Post(path, model, stream: true));
            await response.Content.ReadAsStringAsync();
            var call = await harness.CallSpanOfAsync(response);
            Assert.Contains(AiRequests.Prompt, (string)call.GetTagItem("gen_ai.input.messages")!, StringComparison.Ordinal);
            traces.Add(call.TraceId);
        }

        await WaitForServerSpansAsync(harness, traces);
        var spans = traces.SelectMany(harness.SpansOfTrace).ToList();
        AssertClean(TelemetryTexts.OfSpans(spans).Concat(MetricTexts(harness, lastModel: model)).Concat(LogTexts(harness)), [AiRequests.ApiKey, "Bearer", "sk-ant"]);
        // The prompt is in the one attribute that was asked for, nowhere else: not in another attribute, not in a log line.
        AssertClean(TelemetryTexts.OfSpans(spans, exceptAttribute: "gen_ai.input.messages").Concat(LogTexts(harness)), [AiRequests.Prompt]);
    }

    /// <summary>
    /// A <c>key</c> query parameter (Gemini's query-string key) on any route, with OpenTelemetry's own query redaction
    /// switched off and the ASP.NET Core and YARP request logs on: the gateway still redacts the key's value in the
    /// server span's url.query and in every log line, and leaves the other parameters readable; the upstream attempt's
    /// url.full has no query at all.
    /// </summary>
    [Fact]
    public async Task Call_KeyInTheQueryWithOpenTelemetryQueryRedactionOff_KeyRedactedInSpansAndLogLines()
    {
        const string QueryKey = "AIzaSy-query-secret-8c2f";
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION"] = "true",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Information",
            ["Serilog:MinimumLevel:Override:Yarp"] = "Information",
        });
        using var client = harness.CreateClient();
        var model = AiRequests.UniqueModel("query-key");
        using var response = await client.SendAsync(AiRequests.PostRaw($"v1/messages?alt=sse&key={QueryKey}", AiRequests.Body("v1/messages", model, stream: true)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsStringAsync();
        var trace = TraceOf(response);
        await WaitForServerSpansAsync(harness, [trace]);
        var spans = harness.SpansOfTrace(trace);

        var server = spans.Single(s => s.Kind == ActivityKind.Server && s.ParentSpanId == default);
        Assert.Contains("key=Redacted", (string)server.GetTagItem("url.query")!, StringComparison.Ordinal);
        // The upstream attempt span's url.full hides the whole query, as the runtime's HttpClient span did.
        var attempt = spans.First(s => s.OperationName == "upstream attempt");
        Assert.Contains("/v1/messages?", (string)attempt.GetTagItem("url.full")!, StringComparison.Ordinal);
        Assert.DoesNotContain(QueryKey, (string)attempt.GetTagItem("url.full")!, StringComparison.Ordinal);
        // The log line is this gateway's alone: "alt=sse" kept shows the key was redacted by name, not every value.
        Assert.Contains(harness.Logs.Lines, line => line.Contains("?alt=sse&key=Redacted", StringComparison.Ordinal));
        AssertClean(TelemetryTexts.OfSpans(spans).Concat(MetricTexts(harness, lastModel: model)).Concat(LogTexts(harness)), [QueryKey]);
    }

    private static async Task<ActivityTraceId> DisconnectMidStreamAsync(GatewayHarness harness)
    {
        var client = harness.CreateClient();
        var response = await client.SendAsync(AiRequests.Post("v1/messages", "secret-disconnect", stream: true,
            ("x-sim-deltas", "40"), ("x-sim-delta-gap-ms", "25")), HttpCompletionOption.ResponseHeadersRead);
        var traceId = TraceOf(response);
        var stream = await response.Content.ReadAsStreamAsync();
        var seen = "";
        var buffer = new byte[4096];
        while (!seen.Contains("word0", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            Assert.True(read > 0, "stream ended early");
            seen += Encoding.UTF8.GetString(buffer, 0, read);
        }

        response.Dispose();
        client.Dispose();
        return traceId;
    }

    private static ActivityTraceId TraceOf(HttpResponseMessage response) =>
        ActivityTraceId.CreateFromString(response.Headers.GetValues("traceresponse").Single().AsSpan(3, 32));

    /// <summary>Waits until every trace's gateway server span (the last to end) and call span were exported.</summary>
    private static async Task WaitForServerSpansAsync(GatewayHarness harness, List<ActivityTraceId> traces)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var trace in traces)
        {
            while (!harness.SpansOfTrace(trace).Any(s => s.Kind == ActivityKind.Server && s.ParentSpanId == default)
                || !harness.SpansOfTrace(trace).Any(s => s.Source.Name == "Glassbox.Gateway" && s.Kind == ActivityKind.Client))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"trace {trace} was not fully exported");
                await Task.Delay(20);
            }
        }
    }

    private static List<EmittedText> MetricTexts(GatewayHarness harness, string lastModel)
    {
        harness.MetricPoints("gen_ai.client.operation.duration", lastModel); // flushes the meter provider once the last call finished
        List<EmittedText> texts;
        lock (harness.Metrics)
        {
            texts = TelemetryTexts.OfMetrics(harness.Metrics);
        }

        Assert.NotEmpty(texts);
        return texts;
    }

    private static IEnumerable<EmittedText> LogTexts(GatewayHarness harness)
    {
        var lines = harness.Logs.Lines.ToList();
        Assert.Contains(lines, line => line.Contains("AI call", StringComparison.Ordinal));
        return lines.Select(line => new EmittedText("log line", line));
    }

    private static void AssertClean(IEnumerable<EmittedText> texts, string[] forbidden)
    {
        var leaks = TelemetryTexts.Leaks(texts, forbidden);
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }
}
