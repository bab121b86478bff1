using System.Net.Http.Headers;
using System.Text;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Dialects.Gemini;

/// <summary>Gemini requests as the official SDKs send them: the model and the method in the path, the key in <c>x-goog-api-key</c>.</summary>
internal static class GeminiRequests
{
    public const string ApiKey = "AIzaSy-gemini-test-key-3c9f1a";

    public static string Body(string prompt = AiRequests.Prompt) =>
        $$$"""{"contents":[{"role":"user","parts":[{"text":"{{{prompt}}}"}]}],"generationConfig":{"maxOutputTokens":256,"temperature":0.5,"topP":0.9,"topK":40,"stopSequences":["END"]}}""";

    /// <summary>The path of a call: <c>generateContent</c>, or <c>streamGenerateContent</c> with or without <c>alt=sse</c>.</summary>
    public static string Path(string model, bool stream, bool sse = true, string version = "v1beta") =>
        $"{version}/models/{model}:{(stream ? "streamGenerateContent" + (sse ? "?alt=sse" : "") : "generateContent")}";

    public static HttpRequestMessage Post(string model, bool stream, bool sse = true, params (string Name, string Value)[] headers) =>
        PostRaw(Path(model, stream, sse), Body(), headers);

    public static HttpRequestMessage PostRaw(string path, string body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (!path.Contains("key=", StringComparison.Ordinal))
        {
            request.Headers.Add("x-goog-api-key", ApiKey);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
