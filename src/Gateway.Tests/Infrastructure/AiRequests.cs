using System.Net.Http.Headers;
using System.Text;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>Request bodies and headers as the official SDKs send them, plus simulator control headers.</summary>
internal static class AiRequests
{
    public const string ApiKey = "sk-ant-secret-key-0123456789";
    public const string Prompt = "Tell me the secret prompt text 7f3a";

    public static string Body(string path, string model, bool stream, bool includeUsage = true) => path switch
    {
        "v1/messages" => $$"""{"model":"{{model}}","max_tokens":256,"stream":{{Bool(stream)}},"temperature":0.5,"messages":[{"role":"user","content":"{{Prompt}}"}]}""",
        "v1/chat/completions" => $$"""{"model":"{{model}}","stream":{{Bool(stream)}},{{(stream && includeUsage ? "\"stream_options\":{\"include_usage\":true}," : "")}}"messages":[{"role":"user","content":"{{Prompt}}"}]}""",
        "v1/responses" => $$"""{"model":"{{model}}","stream":{{Bool(stream)}},"input":"{{Prompt}}"}""",
        _ => throw new ArgumentOutOfRangeException(nameof(path)),
    };

    public static HttpRequestMessage Post(string path, string model, bool stream, params (string Name, string Value)[] headers) =>
        PostRaw(path, Body(path, model, stream), headers);

    public static HttpRequestMessage PostRaw(string path, string body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (path.StartsWith("v1/messages", StringComparison.Ordinal))
        {
            request.Headers.Add("x-api-key", ApiKey);
            request.Headers.Add("anthropic-version", "2023-06-01");
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>Sends the request and reads the whole answer; a stream the upstream cut is not an error here.</summary>
    public static async Task SendAndReadAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            try
            {
                using var response = await client.SendAsync(request);
                await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException)
            {
                // Cut mid-stream: what the gateway recorded is the point.
            }
            catch (IOException)
            {
            }
        }
    }

    public static string UniqueModel(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, prefix.Length + 33)];

    private static string Bool(bool value) => value ? "true" : "false";
}
