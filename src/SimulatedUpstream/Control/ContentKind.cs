namespace Glassbox.SimulatedUpstream.Control;

internal enum ContentKind
{
    Text,
    Tool,
    Thinking,
}
