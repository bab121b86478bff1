namespace Glassbox.Gateway.Fuzz;

/// <summary>
/// One parser under the fuzzer: <see cref="Run"/> throws <see cref="InvariantBrokenException"/> (or lets the parser's own
/// exception out) when an invariant does not hold; <see cref="Seeds"/> gives its seed corpus from the repository root.
/// </summary>
internal sealed record FuzzTarget(string Name, Func<string, IEnumerable<Seed>> Seeds, Action<byte[]> Run);

internal sealed record Seed(string Name, byte[] Bytes);

/// <summary>An invariant of a target did not hold: afl-fuzz records the input as a crash.</summary>
internal sealed class InvariantBrokenException(string message) : Exception(message);

internal static class Invariant
{
    public static void Holds(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvariantBrokenException(what);
        }
    }
}
