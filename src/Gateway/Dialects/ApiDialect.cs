namespace Glassbox.Gateway.Dialects;

/// <summary>The wire format of one AI route: decides how requests are read and responses observed.</summary>
internal enum ApiDialect
{
    /// <summary>Forwarded with an ordinary HTTP span; nothing is parsed.</summary>
    None = 0,
    AnthropicMessages,
    OpenAIChatCompletions,
    OpenAIResponses,
}
