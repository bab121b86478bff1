using System.Collections;
using System.Diagnostics;
using System.Net;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Dialects.Gemini;

/// <summary>
/// Gemini keys travel in <c>x-goog-api-key</c> or in the query (<c>?key=</c>): they pass through untouched, a gateway key
/// in either place is swapped for the upstream's, and a key in the URL appears in no span, log line or error body.
/// </summary>
public sealed class GeminiAuthTests
{
    private const string QueryKey = "AIzaSy-query-secret-7e21c";
    private const string TeamKey = "gk-gemini-team-0b9e";
    private const string UpstreamKey = "AIzaSy-upstream-operator-4d";

    [Fact]
    public async Task Post_KeyInTheQuery_ReachesTheUpstreamUntouchedAndNoSpanOrLogLineShowsIt()
    {
        await using var harness = await GatewayHarness.StartAsync();
        using var client = harness.CreateClient();
        var traces = new List<ActivityTraceId>();
        var bodies = new List<string>();
        var model = AiRequests.UniqueModel("gemini-query-key");

        foreach (var (path, expected) in new[]
        {
            ($"v1beta/models/{model}:streamGenerateContent?alt=sse&key={QueryKey}", HttpStatusCode.OK),
            ($"v1beta/models/{model}:generateContent?key={QueryKey}", HttpStatusCode.OK),
            ($"v1beta/models/{model}:countTokens?key={QueryKey}", HttpStatusCode.OK),
            ($"v1beta/models/{model}-bad:generateContent?key={QueryKey}", HttpStatusCode.BadRequest),
        })
        {
            var body = path.Contains("-bad:", StringComparison.Ordinal) ? "{\"contents\":" : GeminiRequests.Body();
            using var response = await client.SendAsync(GeminiRequests.PostRaw(path, body));
            Assert.Equal(expected, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync());
            traces.Add(ActivityTraceId.CreateFromString(response.Headers.GetValues("traceresponse").Single().AsSpan(3, 32)));
        }

        Assert.True(harness.SimulatorServices.GetRequiredService<Glassbox.SimulatedUpstream.SimulatorStats>().LastAuthPresent);
        await harness.WaitForCallSpanAsync(model);
        var spans = new List<Activity>();
        foreach (var trace in traces)
        {
            spans.AddRange(await ServerSpanAndRestAsync(harness, trace));
        }

        Assert.Contains(spans, s => s.Kind == ActivityKind.Server);
        Assert.Contains(spans, s => s.Source.Name == "Glassbox.Gateway" && s.Kind == ActivityKind.Client);
        var texts = spans.SelectMany(s => s.TagObjects.SelectMany(t => Values(t.Value)).Append(s.DisplayName).Append(s.StatusDescription ?? ""))
            .Concat(harness.Logs.Lines)
            .Concat(bodies[3..]);
        Assert.DoesNotContain(texts, text => text.Contains(QueryKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_GatewayKeyInQueryOrHeader_UpstreamGetsItsOwnKeyInTheHeaderAndNoKeyInTheUrl()
    {
        await using var echo = await HeaderRecordingUpstream.StartAsync();
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Glassbox:Auth:Keys:0"] = TeamKey,
            ["Glassbox:Upstreams:Gemini:ApiKey"] = UpstreamKey,
        }, upstreamOverride: echo.Uri);
        using var client = harness.CreateClient();

        foreach (var (path, header) in new[]
        {
            ($"v1beta/models/m:generateContent?key={TeamKey}", (string?)null),
            ($"v1beta/models/m:streamGenerateContent?key={TeamKey}&alt=sse", null),
            ("v1beta/models/m:countTokens", TeamKey),
        })
        {
            using var request = GeminiRequests.PostRaw(path, GeminiRequests.Body());
            request.Headers.Remove("x-goog-api-key");
            if (header is not null)
            {
                request.Headers.Add("x-goog-api-key", header);
            }

            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(echo.Headers.TryDequeue(out var headers));
            Assert.True(echo.Queries.TryDequeue(out var query));
            Assert.Equal(UpstreamKey, headers["x-goog-api-key"]);
            Assert.DoesNotContain("key=", query, StringComparison.Ordinal);
            Assert.Equal(path.Contains("alt=sse", StringComparison.Ordinal), query.Contains("alt=sse", StringComparison.Ordinal));
        }

        using var refused = await client.SendAsync(GeminiRequests.PostRaw("v1beta/models/m:generateContent?key=gk-wrong", GeminiRequests.Body()).WithoutGoogleKey());
        await GeminiGatewayTests.AssertGoogleErrorAsync(refused, 401, "UNAUTHENTICATED");
        Assert.True(echo.Headers.IsEmpty);
    }

    [Fact]
    public async Task Post_SidecarWithConfiguredKey_AddedOnlyWhenTheCallerSentNone()
    {
        await using var echo = await HeaderRecordingUpstream.StartAsync();
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Glassbox:Upstreams:Gemini:ApiKey"] = UpstreamKey,
        }, upstreamOverride: echo.Uri);
        using var client = harness.CreateClient();

        using (var keyless = await client.SendAsync(GeminiRequests.PostRaw("v1beta/models/m:generateContent", GeminiRequests.Body()).WithoutGoogleKey()))
        using (var own = await client.SendAsync(GeminiRequests.PostRaw($"v1beta/models/m:generateContent?key={QueryKey}", GeminiRequests.Body())))
        {
            Assert.Equal(HttpStatusCode.OK, keyless.StatusCode);
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        Assert.True(echo.Headers.TryDequeue(out var first));
        Assert.Equal(UpstreamKey, first["x-goog-api-key"]);
        Assert.True(echo.Headers.TryDequeue(out var second));
        Assert.True(echo.Queries.TryDequeue(out _));
        Assert.True(echo.Queries.TryDequeue(out var ownQuery));
        Assert.False(second.ContainsKey("x-goog-api-key"));
        Assert.Contains($"key={QueryKey}", ownQuery, StringComparison.Ordinal);
    }

    /// <summary>Every span of the trace once its server span (the last to end) was exported.</summary>
    private static async Task<IReadOnlyList<Activity>> ServerSpanAndRestAsync(GatewayHarness harness, ActivityTraceId trace)
    {
        var deadline = Stopwatch.StartNew();
        while (!harness.SpansOfTrace(trace).Any(s => s.Kind == ActivityKind.Server && s.ParentSpanId == default))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"trace {trace} was not exported");
            await Task.Delay(20);
        }

        return harness.SpansOfTrace(trace);
    }

    private static IEnumerable<string> Values(object? value) => value switch
    {
        null => [],
        string text => [text],
        IEnumerable items => items.Cast<object?>().Select(item => item?.ToString() ?? ""),
        _ => [value.ToString() ?? ""],
    };
}

internal static class GeminiRequestExtensions
{
    public static HttpRequestMessage WithoutGoogleKey(this HttpRequestMessage request)
    {
        request.Headers.Remove("x-goog-api-key");
        return request;
    }
}
