using Glassbox.Gateway.Configuration;
using Glassbox.Gateway.Dialects.Anthropic;
using Glassbox.Gateway.Dialects.Gemini;
using Glassbox.Gateway.Dialects.OpenAI;
using Glassbox.Gateway.Dialects.OpenAI.Chat;
using Glassbox.Gateway.Dialects.OpenAI.Responses;

namespace Glassbox.Gateway.Dialects;

/// <summary>The registry of API families and their dialects: the one list a new dialect is added to.</summary>
internal static class ApiDialects
{
    public static AnthropicMessagesDialect AnthropicMessages => AnthropicMessagesDialect.Instance;

    public static OpenAIChatDialect OpenAIChatCompletions => OpenAIChatDialect.Instance;

    public static OpenAIResponsesDialect OpenAIResponses => OpenAIResponsesDialect.Instance;

    public static GeminiDialect Gemini => GeminiDialect.Instance;

    public static IReadOnlyList<IApiFamily> Families { get; } = [AnthropicFamily.Instance, OpenAIFamily.Instance, GeminiFamily.Instance];

    public static IEnumerable<IApiDialect> All => Families.SelectMany(f => f.Routes).Select(r => r.Dialect).OfType<IApiDialect>().Distinct();

    public static IApiFamily Family(ApiFamily id) =>
        Families.FirstOrDefault(f => f.Id == id) ?? throw new ArgumentOutOfRangeException(nameof(id), id, "No such API family.");

    /// <summary>The dialect named <paramref name="name"/> (<see cref="IApiDialect.Name"/>).</summary>
    public static IApiDialect ByName(string name) =>
        All.FirstOrDefault(d => d.Name == name) ?? throw new ArgumentOutOfRangeException(nameof(name), name, "No such dialect.");
}
