namespace Glassbox.SimulatedUpstream.Control;

internal enum ContentKind
{
    Text,
    Tool,
    Thinking,

    /// <summary>Gemini: the prompt is blocked (<c>promptFeedback.blockReason</c>, no candidates); elsewhere text.</summary>
    Blocked,
}
