using System.Text.Json;
using Glassbox.SimulatedUpstream.Control;

namespace Glassbox.SimulatedUpstream.Dialects.OpenAIShared;

/// <summary>
/// OpenAI usage: input tokens include the cached ones (<c>x-sim-cache-read-tokens</c>), output tokens
/// include the reasoning ones (<c>x-sim-reasoning-tokens</c>).
/// </summary>
internal static class OpenAIUsage
{
    public static void WriteChat(Utf8JsonWriter w, SimulationPlan plan)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", plan.InputTokens);
        w.WriteNumber("completion_tokens", plan.OutputTokens);
        w.WriteNumber("total_tokens", plan.InputTokens + plan.OutputTokens);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", plan.CacheReadTokens);
        w.WriteNumber("audio_tokens", 0);
        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details");
        w.WriteNumber("reasoning_tokens", plan.ReasoningTokens);
        w.WriteNumber("audio_tokens", 0);
        w.WriteNumber("accepted_prediction_tokens", 0);
        w.WriteNumber("rejected_prediction_tokens", 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteResponses(Utf8JsonWriter w, SimulationPlan plan)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", plan.InputTokens);
        w.WriteStartObject("input_tokens_details");
        w.WriteNumber("cached_tokens", plan.CacheReadTokens);
        w.WriteEndObject();
        w.WriteNumber("output_tokens", plan.OutputTokens);
        w.WriteStartObject("output_tokens_details");
        w.WriteNumber("reasoning_tokens", plan.ReasoningTokens);
        w.WriteEndObject();
        w.WriteNumber("total_tokens", plan.InputTokens + plan.OutputTokens);
        w.WriteEndObject();
    }
}
