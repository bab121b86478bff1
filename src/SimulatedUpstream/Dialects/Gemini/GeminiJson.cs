using System.Text.Json;
using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Control;
using Glassbox.SimulatedUpstream.Generation;

namespace Glassbox.SimulatedUpstream.Dialects.Gemini;

/// <summary>
/// <c>GenerateContentResponse</c> objects, keys in Google's order. Every streamed chunk carries usage; only the
/// last one (with <c>finishReason</c>) carries the output counts.
/// </summary>
internal static class GeminiJson
{
    public static string FinishReason(SimulationPlan plan) => plan.FinishReason ?? "STOP";

    public static void WriteResponse(Utf8JsonWriter w, CallContext call, Action<Utf8JsonWriter> parts, string? finishReason)
    {
        var plan = call.Plan;
        w.WriteStartObject();
        if (plan.Content == ContentKind.Blocked)
        {
            WritePromptFeedback(w);
        }
        else
        {
            w.WriteStartArray("candidates");
            w.WriteStartObject();
            w.WriteStartObject("content");
            w.WriteStartArray("parts");
            parts(w);
            w.WriteEndArray();
            w.WriteString("role", "model");
            w.WriteEndObject();
            if (finishReason is not null)
                w.WriteString("finishReason", finishReason);
            w.WriteNumber("index", 0);
            w.WriteEndObject();
            w.WriteEndArray();
        }

        WriteUsage(w, plan, final: finishReason is not null);
        w.WriteString("modelVersion", call.Request.Model);
        w.WriteString("responseId", plan.Ids.Core);
        w.WriteEndObject();
    }

    public static Action<Utf8JsonWriter> Text(string text) => w =>
    {
        w.WriteStartObject();
        w.WriteString("text", text);
        w.WriteEndObject();
    };

    public static Action<Utf8JsonWriter> Thought(string text) => w =>
    {
        w.WriteStartObject();
        w.WriteString("text", text);
        w.WriteBoolean("thought", true);
        w.WriteEndObject();
    };

    public static Action<Utf8JsonWriter> FunctionCall(int deltas) => w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("functionCall");
        w.WriteString("name", Words.ToolName);
        w.WriteStartObject("args");
        w.WriteString("location", Words.Join(deltas, Words.Text));
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    };

    /// <summary>The whole answer's parts, as a non-streaming response has them.</summary>
    public static Action<Utf8JsonWriter> AllParts(SimulationPlan plan) => w =>
    {
        var n = plan.Deltas;
        switch (plan.Content)
        {
            case ContentKind.Tool:
                FunctionCall(n)(w);
                break;
            case ContentKind.Thinking:
                Thought(Words.Join(n, Words.Thinking))(w);
                Text(Words.Join(n, Words.Text))(w);
                break;
            default:
                Text(Words.Join(n, Words.Text))(w);
                break;
        }
    };

    /// <summary>
    /// <c>promptTokenCount</c> includes the cached tokens; thoughts are counted apart from the candidates.
    /// Before the last chunk (and for a blocked prompt) the total is the prompt alone.
    /// </summary>
    private static void WriteUsage(Utf8JsonWriter w, SimulationPlan plan, bool final)
    {
        w.WriteStartObject("usageMetadata");
        w.WriteNumber("promptTokenCount", plan.InputTokens);
        if (final)
        {
            w.WriteNumber("candidatesTokenCount", plan.OutputTokens);
            w.WriteNumber("totalTokenCount", plan.InputTokens + plan.OutputTokens + plan.ReasoningTokens + plan.ToolUsePromptTokens);
        }
        else
        {
            w.WriteNumber("totalTokenCount", plan.InputTokens);
        }

        if (plan.CacheReadTokens > 0)
            w.WriteNumber("cachedContentTokenCount", plan.CacheReadTokens);
        WriteModalities(w, "promptTokensDetails", plan.InputTokens);
        if (plan.CacheReadTokens > 0)
            WriteModalities(w, "cacheTokensDetails", plan.CacheReadTokens);
        if (final)
        {
            if (plan.OutputTokens > 0)
                WriteModalities(w, "candidatesTokensDetails", plan.OutputTokens);
            if (plan.ToolUsePromptTokens > 0)
                w.WriteNumber("toolUsePromptTokenCount", plan.ToolUsePromptTokens);
            if (plan.ReasoningTokens > 0)
                w.WriteNumber("thoughtsTokenCount", plan.ReasoningTokens);
        }

        w.WriteEndObject();
    }

    private static void WriteModalities(Utf8JsonWriter w, string name, int tokens)
    {
        w.WriteStartArray(name);
        w.WriteStartObject();
        w.WriteString("modality", "TEXT");
        w.WriteNumber("tokenCount", tokens);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WritePromptFeedback(Utf8JsonWriter w)
    {
        w.WriteStartObject("promptFeedback");
        w.WriteString("blockReason", "SAFETY");
        w.WriteStartArray("safetyRatings");
        w.WriteStartObject();
        w.WriteString("category", "HARM_CATEGORY_DANGEROUS_CONTENT");
        w.WriteString("probability", "HIGH");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
