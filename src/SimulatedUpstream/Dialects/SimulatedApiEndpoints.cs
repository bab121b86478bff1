using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Dialects.Anthropic;
using Glassbox.SimulatedUpstream.Dialects.Gemini;
using Glassbox.SimulatedUpstream.Dialects.OpenAIChat;
using Glassbox.SimulatedUpstream.Dialects.OpenAIResponses;

namespace Glassbox.SimulatedUpstream.Dialects;

internal static class SimulatedApiEndpoints
{
    public static void MapSimulatedApis(this WebApplication app)
    {
        Map(app, "/v1/messages", MessagesApi.Instance);
        Map(app, "/v1/messages/count_tokens", CountTokensApi.Instance);
        Map(app, "/v1/chat/completions", ChatCompletionsApi.Instance);
        Map(app, "/v1/responses", ResponsesApi.Instance);
        foreach (var version in (string[])["v1", "v1beta"])
        {
            foreach (var collection in (string[])["models", "tunedModels"])
                app.MapPost($"/{version}/{collection}/{{{GeminiPath.TargetRouteValue}}}", RunGeminiAsync);
        }
    }

    /// <summary>Gemini names the method after the model (<c>gemini-2.5-flash:streamGenerateContent</c>).</summary>
    private static Task RunGeminiAsync(HttpContext http, CallRunner runner, string target)
    {
        SimulatedApi? api = GeminiPath.Split(target).Method switch
        {
            "generateContent" => GenerateContentApi.Unary,
            "streamGenerateContent" => GenerateContentApi.Streaming,
            "countTokens" => GeminiCountTokensApi.Instance,
            "embedContent" => EmbedContentApi.Instance,
            _ => null,
        };
        return api is null ? runner.NotFoundAsync(http, GeminiProvider.Instance) : runner.RunAsync(http, api);
    }

    private static void Map(WebApplication app, string path, SimulatedApi api) =>
        app.MapPost(path, (HttpContext http, CallRunner runner) => runner.RunAsync(http, api));
}
