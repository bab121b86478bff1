namespace Glassbox.Gateway.Fuzz;

/// <summary>
/// Cuts an input into chunks whose sizes come from the input itself (1 to 64 bytes, from its bytes in turn, with a
/// single byte and a 4 KB chunk in the cycle): the same input is always cut the same way, so a crash replays.
/// </summary>
internal static class Chunking
{
    public static List<byte[]> Cut(byte[] input)
    {
        var chunks = new List<byte[]>();
        for (int at = 0, i = 0; at < input.Length; i++)
        {
            var size = (i % 5) switch
            {
                0 => 1,
                3 => 4096,
                _ => 1 + (input[(i * 31) % input.Length] % 64),
            };
            size = Math.Min(size, input.Length - at);
            chunks.Add(input[at..(at + size)]);
            at += size;
        }

        return chunks;
    }
}
