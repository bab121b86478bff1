using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Telemetry;

namespace Glassbox.Gateway.Fuzz.Targets;

/// <summary>Each dialect's request facts reader (every dialect registered, Gemini's too once it is), capture on and off: never throws; peer strings bounded and clean.</summary>
internal static class RequestFactsTarget
{
    public static void Run(byte[] input)
    {
        foreach (var dialect in ApiDialects.All)
        {
            foreach (var capture in new[] { false, true })
            {
                var facts = dialect.ReadRequest(input, "", capture);
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
