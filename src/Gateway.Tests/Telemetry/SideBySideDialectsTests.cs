using System.Diagnostics;
using Glassbox.Gateway.Tests.Dialects.Gemini;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Telemetry;

/// <summary>
/// "Claude vs GPT vs Gemini, TTFT and tokens": the same prompt through every dialect gives one trace each, whose call
/// spans carry the same attributes under the same names, so one trace search or dashboard query compares them.
/// </summary>
public sealed class SideBySideDialectsTests
{
    private const int TtftMs = 250;

    /// <summary>Read the same way whatever the dialect: the answer to "which model is fastest, and what did it cost".</summary>
    private static readonly string[] ComparedAttributes =
    [
        "gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model", "gen_ai.response.model",
        "gen_ai.response.time_to_first_chunk", "ai.ttft_ms", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens",
        "gen_ai.response.finish_reasons", "ai.latency_ms", "ai.chunks", "glassbox.stream.completed",
    ];

    [Fact]
    public async Task Stream_SamePromptThroughEveryDialect_OneTraceEachWithTheSameAttributes()
    {
        await using var harness = await GatewayHarness.StartAsync(simulatorSettings: new Dictionary<string, string?>
        {
            ["Simulator:TimeToFirstTokenMs"] = $"{TtftMs}",
            ["Simulator:DeltaGapMs"] = "20",
            ["Simulator:Deltas"] = "3",
            ["Simulator:InputTokens"] = "21",
        });
        using var client = harness.CreateClient();
        var calls = new (string Dialect, string Model, string Operation, string Provider, HttpRequestMessage Request)[4];
        var claude = AiRequests.UniqueModel("claude-sonnet-4-5");
        var gptChat = AiRequests.UniqueModel("gpt-4o-chat");
        var gptResponses = AiRequests.UniqueModel("gpt-4o-responses");
        var gemini = AiRequests.UniqueModel("gemini-2.5-flash");
        calls[0] = ("Anthropic Messages", claude, "chat", "anthropic", AiRequests.Post("v1/messages", claude, stream: true));
        calls[1] = ("OpenAI Chat", gptChat, "chat", "openai", AiRequests.Post("v1/chat/completions", gptChat, stream: true));
        calls[2] = ("OpenAI Responses", gptResponses, "chat", "openai", AiRequests.Post("v1/responses", gptResponses, stream: true));
        calls[3] = ("Gemini", gemini, "generate_content", "gcp.gemini", GeminiRequests.Post(gemini, stream: true));

        var spans = new List<Activity>();
        foreach (var (dialect, model, operation, provider, request) in calls)
        {
            using (request)
            using (var response = await client.SendAsync(request))
            {
                Assert.True(response.IsSuccessStatusCode, $"{dialect}: {response.StatusCode}");
                Assert.Contains("word2", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            var span = await harness.WaitForCallSpanAsync(model);
            Assert.Equal($"{operation} {model}", span.DisplayName);
            Assert.Equal(operation, span.GetTagItem("gen_ai.operation.name"));
            Assert.Equal(provider, span.GetTagItem("gen_ai.provider.name"));
            var missing = ComparedAttributes.Where(name => span.GetTagItem(name) is null).ToList();
            Assert.True(missing.Count == 0, $"{dialect} lacks {string.Join(", ", missing)}");
            Assert.InRange(Assert.IsType<double>(span.GetTagItem("ai.ttft_ms")), TtftMs, TtftMs + 1500);
            Assert.Equal(21L, span.GetTagItem("gen_ai.usage.input_tokens"));
            Assert.Equal(3L, span.GetTagItem("gen_ai.usage.output_tokens"));
            Assert.Equal(3, span.GetTagItem("ai.chunks"));
            spans.Add(span);
        }

        Assert.Equal(4, spans.Select(s => s.TraceId).Distinct().Count());
        // The dashboard's TTFT panel splits one histogram by model: every dialect's call is in it.
        foreach (var (_, model, _, _, _) in calls)
        {
            Assert.NotEmpty(harness.MetricPoints("gen_ai.client.operation.time_to_first_chunk", model));
        }
    }
}
