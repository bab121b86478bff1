using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Dialects.Anthropic;
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
    }

    private static void Map(WebApplication app, string path, SimulatedApi api) =>
        app.MapPost(path, (HttpContext http, CallRunner runner) => runner.RunAsync(http, api));
}
