using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Requests;
using Glassbox.Gateway.Telemetry;

namespace Glassbox.Gateway.Fuzz.Targets;

/// <summary>The request facts reader, every dialect, capture on and off: never throws; peer strings bounded and clean.</summary>
internal static class RequestFactsTarget
{
    private static readonly ApiDialect[] Dialects = [ApiDialect.AnthropicMessages, ApiDialect.OpenAIChatCompletions, ApiDialect.OpenAIResponses];

    public static void Run(byte[] input)
    {
        foreach (var dialect in Dialects)
        {
            foreach (var capture in new[] { false, true })
            {
                var facts = RequestFactsReader.TryRead(input, dialect, capture);
                if (facts?.Model is { } model)
                {
                    Invariant.Holds(model.Length <= TelemetryText.MaxNameChars, $"model of {model.Length} characters");
                    Invariant.Holds(!model.Any(char.IsControl), "control character in the model");
                }

                Invariant.Holds((facts?.StopSequences?.Length ?? 0) <= TelemetryText.MaxListItems, $"{facts?.StopSequences?.Length} stop sequences");
            }
        }
    }
}
