namespace Glassbox.Gateway.Configuration;

/// <summary>Which provider API an upstream speaks; decides its AI routes.</summary>
public enum ApiFamily
{
    /// <summary><c>/v1/messages</c> (AI) and <c>/v1/messages/count_tokens</c>.</summary>
    Anthropic,

    /// <summary><c>/v1/chat/completions</c> and <c>/v1/responses</c>.</summary>
    OpenAI,

    /// <summary>Google's Gemini API: <c>/{v1beta|v1}/models/{model}:generateContent</c> and <c>:streamGenerateContent</c>.</summary>
    Gemini,
}
