using System.IO.Compression;

namespace Glassbox.SimulatedUpstream.Hostile;

/// <summary>
/// A gzip body that inflates far beyond its size: one member of 64 MiB of zeros (about 64 KB compressed),
/// repeated. Concatenated members are one valid gzip stream (RFC 1952), so it is built once and sent many times.
/// </summary>
public static class GzipBomb
{
    public const long MemberInflatedBytes = 64L * 1024 * 1024;

    private static readonly Lazy<byte[]> Member = new(BuildMember);

    /// <summary>Writes members until at least <paramref name="inflatedBytes"/> would come out of a decoder.</summary>
    public static async Task WriteAsync(Stream body, long inflatedBytes, CancellationToken cancellationToken)
    {
        for (long written = 0; written < inflatedBytes; written += MemberInflatedBytes)
        {
            await body.WriteAsync(Member.Value, cancellationToken);
        }

        await body.FlushAsync(cancellationToken);
    }

    /// <summary>Compressed size of a bomb that inflates to <paramref name="inflatedBytes"/>.</summary>
    public static long CompressedBytes(long inflatedBytes) =>
        (inflatedBytes + MemberInflatedBytes - 1) / MemberInflatedBytes * Member.Value.Length;

    private static byte[] BuildMember()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < MemberInflatedBytes / zeros.Length; i++)
            {
                gzip.Write(zeros);
            }
        }

        return compressed.ToArray();
    }
}
