using System.Net.Http.Headers;
using System.Text;

namespace Glassbox.Bench.Soak;

/// <summary>One kind of call in the mix, and what a correct outcome of it looks like; <c>ClientGivesUpAfter</c> counts from the response headers.</summary>
internal sealed record Scenario(string Name, string Path, bool Stream, bool Injected, (string, string)[] Headers, Func<int, string, bool> Expected, TimeSpan? ClientGivesUpAfter = null)
{
    private const string Key = "sk-soak-not-a-real-key";

    // Gemini names the model and the stream mode in the path; {model} is filled per scenario.
    private const string GeminiGenerate = "v1beta/models/{model}:generateContent";
    private const string GeminiStreamSse = "v1beta/models/{model}:streamGenerateContent?alt=sse";
    private const string GeminiStreamArray = "v1beta/models/{model}:streamGenerateContent";

    /// <summary>Every dialect streamed and not, a retried 429, a final 429, cut streams, and clients that leave.</summary>
    public static readonly Scenario[] Mix =
    [
        new("anthropic stream", "v1/messages", true, false, [], (s, b) => s == 200 && b.Contains("message_stop", StringComparison.Ordinal)),
        new("chat stream", "v1/chat/completions", true, false, [], (s, b) => s == 200 && b.Contains("[DONE]", StringComparison.Ordinal)),
        new("responses stream", "v1/responses", true, false, [], (s, b) => s == 200 && b.Contains("response.completed", StringComparison.Ordinal)),
        new("anthropic", "v1/messages", false, false, [], (s, b) => s == 200 && b.Contains("\"usage\"", StringComparison.Ordinal)),
        new("chat", "v1/chat/completions", false, false, [], (s, b) => s == 200 && b.Contains("\"usage\"", StringComparison.Ordinal)),
        new("responses", "v1/responses", false, false, [], (s, b) => s == 200 && b.Contains("\"usage\"", StringComparison.Ordinal)),
        new("gemini stream", GeminiStreamSse, true, false, [], (s, b) => s == 200 && b.Contains("\"finishReason\"", StringComparison.Ordinal)),
        new("gemini array stream", GeminiStreamArray, true, false, [], (s, b) => s == 200 && b.TrimEnd().EndsWith(']') && b.Contains("\"finishReason\"", StringComparison.Ordinal)),
        new("gemini", GeminiGenerate, false, false, [], (s, b) => s == 200 && b.Contains("\"usageMetadata\"", StringComparison.Ordinal)),
        new("gemini 429 then retried", GeminiStreamSse, true, false,
            [("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-delay", "0.05s"), ("x-sim-fail-times", "1")],
            (s, b) => s == 200 && b.Contains("\"finishReason\"", StringComparison.Ordinal)),
        new("429 then retried", "v1/messages", true, false,
            [("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-after-ms", "50"), ("x-sim-fail-times", "1")],
            (s, b) => s == 200 && b.Contains("message_stop", StringComparison.Ordinal)),
        new("429 final", "v1/chat/completions", false, true,
            [("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-should-retry", "false")], (s, _) => s == 429),
        // The reset can overtake the headers and first deltas on the wire (docs/faults.md, U24): then the gateway
        // never had a response, and answers 502 in the caller's dialect.
        new("cut stream", "v1/messages", true, true, [("x-sim-fault", "reset"), ("x-sim-fault-after", "2")], (s, _) => s is 200 or 0 or 502),
        new("client leaves", "v1/responses", true, true, [("x-sim-deltas", "40"), ("x-sim-delta-gap-ms", "50")], (_, _) => true, TimeSpan.FromMilliseconds(400)),
    ];

    /// <summary>Each scenario's calls carry their own model name, so the backend's spans can be counted per scenario.</summary>
    public static string ModelOf(string scenario) => $"soak-{scenario.Replace(' ', '-')}";

    public HttpRequestMessage Request(int sequence)
    {
        var model = ModelOf(Name);
        var path = Path.Replace("{model}", model, StringComparison.Ordinal);
        var body = Path switch
        {
            "v1/messages" => $$"""{"model":"{{model}}","max_tokens":64,"stream":{{(Stream ? "true" : "false")}},"messages":[{"role":"user","content":"soak"}]}""",
            "v1/chat/completions" => $$"""{"model":"{{model}}","stream":{{(Stream ? "true" : "false")}},"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"soak"}]}""",
            "v1/responses" => $$"""{"model":"{{model}}","stream":{{(Stream ? "true" : "false")}},"input":"soak"}""",
            _ => """{"contents":[{"role":"user","parts":[{"text":"soak"}]}],"generationConfig":{"maxOutputTokens":64}}""",
        };
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (Path == "v1/messages")
        {
            request.Headers.Add("x-api-key", Key);
            request.Headers.Add("anthropic-version", "2023-06-01");
        }
        else if (path.StartsWith("v1beta/", StringComparison.Ordinal))
        {
            request.Headers.Add("x-goog-api-key", Key);
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        }

        request.Headers.Add("x-sim-scenario", $"soak-{sequence}");
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
