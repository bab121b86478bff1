using System.Text.Json;
using Glassbox.SimulatedUpstream.Control;

namespace Glassbox.SimulatedUpstream.Dialects.Anthropic;

internal static class AnthropicUsage
{
    /// <summary>The full usage object of <c>message_start</c> and of the non-streaming message.</summary>
    public static void WriteFull(Utf8JsonWriter w, SimulationPlan plan, int outputTokens)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", plan.InputTokens);
        w.WriteNumber("cache_creation_input_tokens", plan.CacheCreationTokens);
        w.WriteNumber("cache_read_input_tokens", plan.CacheReadTokens);
        w.WriteStartObject("cache_creation");
        w.WriteNumber("ephemeral_5m_input_tokens", plan.CacheCreationTokens);
        w.WriteNumber("ephemeral_1h_input_tokens", 0);
        w.WriteEndObject();
        w.WriteNumber("output_tokens", outputTokens);
        w.WriteString("service_tier", "standard");
        w.WriteEndObject();
    }

    /// <summary>The cumulative usage of <c>message_delta</c>.</summary>
    public static void WriteCumulative(Utf8JsonWriter w, SimulationPlan plan)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", plan.InputTokens);
        w.WriteNumber("cache_creation_input_tokens", plan.CacheCreationTokens);
        w.WriteNumber("cache_read_input_tokens", plan.CacheReadTokens);
        w.WriteNumber("output_tokens", plan.OutputTokens);
        w.WriteEndObject();
    }
}
