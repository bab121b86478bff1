using System.Text;
using CsCheck;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// CsCheck generators for parser properties: a valid seed (a recorded stream or body) broken by a few
/// mutations that matter to SSE and JSON parsers, and the many ways the same bytes can arrive in chunks.
/// </summary>
internal static class HostileInput
{
    /// <summary>Pieces that change how an SSE or JSON parser reads what follows.</summary>
    private static readonly byte[][] Tokens =
    [
        "\n"u8.ToArray(), "\r"u8.ToArray(), "\r\n"u8.ToArray(), "\n\n"u8.ToArray(), "data: "u8.ToArray(), "event: "u8.ToArray(),
        ":"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), "\""u8.ToArray(), ","u8.ToArray(),
        "\\"u8.ToArray(), "\\u0000"u8.ToArray(), "\\ud800"u8.ToArray(), "data: [DONE]\n\n"u8.ToArray(), "null"u8.ToArray(),
        "99999999999999999999999"u8.ToArray(), "-1"u8.ToArray(), "1e308"u8.ToArray(), [0xFF], [0xC3, 0x28], [0xEF, 0xBB, 0xBF], [0],
        "\"usage\":{\"input_tokens\":"u8.ToArray(), "\"type\":\"message_stop\""u8.ToArray(), "\"error\":"u8.ToArray(),
    ];

    /// <summary>Up to <paramref name="maxMutations"/> flips, token insertions, deletions or a truncation of <paramref name="seed"/>.</summary>
    public static Gen<byte[]> Mutated(byte[] seed, int maxMutations = 6) =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Int[0, Tokens.Length - 1], Gen.Byte).Array[0, maxMutations]
            .Select(mutations =>
            {
                var bytes = new List<byte>(seed);
                foreach (var (kind, where, token, value) in mutations)
                {
                    var at = bytes.Count == 0 ? 0 : where % bytes.Count;
                    switch (kind)
                    {
                        case 0 when bytes.Count > 0:
                            bytes[at] = value;
                            break;
                        case 1:
                            bytes.InsertRange(at, Tokens[token]);
                            break;
                        case 2 when bytes.Count > 0:
                            bytes.RemoveRange(at, Math.Min(1 + (value % 32), bytes.Count - at));
                            break;
                        case 3:
                            bytes.RemoveRange(at, bytes.Count - at);
                            break;
                    }
                }

                return bytes.ToArray();
            });

    /// <summary>One of <paramref name="seeds"/>, mutated.</summary>
    public static Gen<byte[]> MutatedOneOf(IReadOnlyList<byte[]> seeds, int maxMutations = 6) =>
        Gen.Int[0, seeds.Count - 1].SelectMany(i => Mutated(seeds[i], maxMutations));

    /// <summary>Chunk sizes, cycled over the input: from single bytes to whole kilobytes.</summary>
    public static Gen<int[]> ChunkSizes => Gen.OneOf(Gen.Int[1, 4], Gen.Int[1, 64], Gen.Int[1, 4096]).Array[1, 16];

    public static IEnumerable<byte[]> Chunk(byte[] bytes, int[] sizes)
    {
        for (int at = 0, i = 0; at < bytes.Length; i++)
        {
            var size = Math.Min(sizes[i % sizes.Length], bytes.Length - at);
            yield return bytes[at..(at + size)];
            at += size;
        }
    }

    public static string Show(byte[] bytes) => bytes.Length <= 2048 ? Encoding.UTF8.GetString(bytes) : $"{bytes.Length} bytes";
}
