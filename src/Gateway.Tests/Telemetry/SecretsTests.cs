using System.Collections;
using System.Diagnostics;
using System.Net;
using System.Text;
using Glassbox.Gateway.Tests.Infrastructure;

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
        AssertClean(Texts(spans).Concat(MetricTexts(harness, lastModel: "secret-disconnect")).Concat(LogTexts(harness)), Forbidden);
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
        var bodies = new List<(string Where, string Text)>();

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
                    bodies.Add(($"gateway's {(int)response.StatusCode} body for {model}", body)); // written by the gateway, not the upstream
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
            bodies.Add(("gateway's 413 body", await response.Content.ReadAsStringAsync()));
            traces.Add(TraceOf(response));
        }

        Assert.Contains(bodies, b => b.Where.Contains("502", StringComparison.Ordinal));
        await WaitForServerSpansAsync(harness, traces);
        var spans = traces.SelectMany(harness.SpansOfTrace).ToList();
        Assert.Equal(9, spans.Count(s => s.Source.Name == "Glassbox.Gateway" && s.Kind == ActivityKind.Client));
        AssertClean(Texts(spans).Concat(MetricTexts(harness, lastModel: "secret-413")).Concat(LogTexts(harness)).Concat(bodies), forbidden);
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
        AssertClean(Texts(spans).Concat(MetricTexts(harness, lastModel: model)).Concat(LogTexts(harness)), [AiRequests.ApiKey, "Bearer", "sk-ant"]);
        // The prompt is in the one attribute that was asked for, nowhere else: not in another attribute, not in a log line.
        AssertClean(Texts(spans, except: "gen_ai.input.messages").Concat(LogTexts(harness)), [AiRequests.Prompt]);
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

    /// <summary>Every text a span exports: names, every attribute value (array items too), status, events, links and baggage.</summary>
    private static IEnumerable<(string Where, string Text)> Texts(IEnumerable<Activity> spans, string? except = null)
    {
        foreach (var span in spans)
        {
            var at = $"span '{span.DisplayName}' ({span.Source.Name})";
            yield return (at + " name", span.DisplayName);
            yield return (at + " operation", span.OperationName);
            yield return (at + " status", span.StatusDescription ?? "");
            yield return (at + " tracestate", span.TraceStateString ?? "");
            foreach (var tag in span.TagObjects.Where(t => t.Key != except))
            {
                foreach (var text in Values(tag.Value))
                {
                    yield return ($"{at} attribute {tag.Key}", text);
                }
            }

            foreach (var e in span.Events)
            {
                yield return ($"{at} event", e.Name);
                foreach (var tag in e.Tags)
                {
                    foreach (var text in Values(tag.Value))
                    {
                        yield return ($"{at} event {e.Name} {tag.Key}", text);
                    }
                }
            }

            foreach (var link in span.Links)
            {
                foreach (var tag in link.Tags ?? [])
                {
                    foreach (var text in Values(tag.Value))
                    {
                        yield return ($"{at} link {tag.Key}", text);
                    }
                }
            }

            foreach (var item in span.Baggage)
            {
                yield return ($"{at} baggage {item.Key}", item.Value ?? "");
            }
        }
    }

    private static List<(string Where, string Text)> MetricTexts(GatewayHarness harness, string lastModel)
    {
        var texts = new List<(string Where, string Text)>();
        harness.MetricPoints("gen_ai.client.operation.duration", lastModel); // flushes the meter provider once the last call finished
        lock (harness.Metrics)
        {
            foreach (var metric in harness.Metrics)
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    foreach (var tag in point.Tags)
                    {
                        foreach (var text in Values(tag.Value))
                        {
                            texts.Add(($"metric {metric.Name} {tag.Key}", text));
                        }
                    }
                }
            }
        }

        Assert.NotEmpty(texts);
        return texts;
    }

    private static IEnumerable<(string Where, string Text)> LogTexts(GatewayHarness harness)
    {
        var lines = harness.Logs.Lines.ToList();
        Assert.Contains(lines, line => line.Contains("AI call", StringComparison.Ordinal));
        return lines.Select(line => ("log line", line));
    }

    private static IEnumerable<string> Values(object? value) => value switch
    {
        null => [],
        string text => [text],
        IEnumerable items => items.Cast<object?>().Select(item => item?.ToString() ?? ""),
        _ => [value.ToString() ?? ""],
    };

    private static void AssertClean(IEnumerable<(string Where, string Text)> texts, string[] forbidden)
    {
        var leaks = texts
            .SelectMany(t => forbidden.Where(f => t.Text.Contains(f, StringComparison.OrdinalIgnoreCase)).Select(f => $"'{f}' in {t.Where}: {t.Text}"))
            .ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }
}
