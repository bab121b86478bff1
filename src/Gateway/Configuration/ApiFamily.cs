namespace Glassbox.Gateway.Configuration;

/// <summary>Which provider API an upstream speaks; decides its AI routes.</summary>
public enum ApiFamily
{
    /// <summary><c>/v1/messages</c> (AI) and <c>/v1/messages/count_tokens</c>.</summary>
    Anthropic,

    /// <summary><c>/v1/chat/completions</c> and <c>/v1/responses</c>.</summary>
    OpenAI,
}
