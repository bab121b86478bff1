using System.IO.Compression;
using System.Text;
using Glassbox.Gateway.Fuzz.Targets;

namespace Glassbox.Gateway.Fuzz;

/// <summary>
/// Seeds from the repository: the recorded streams (src/Gateway.Tests/StreamObservation/Recordings), the request
/// bodies and the past crashes (fuzz/corpus). Written out by <c>--seeds</c>, so the corpus has one source.
/// </summary>
internal static class SeedCorpus
{
    public static IEnumerable<Seed> Recordings(string root, string pattern) =>
        Files(Path.Combine(root, "src", "Gateway.Tests", "StreamObservation", "Recordings"), pattern).Concat(Crashes(root));

    public static IEnumerable<Seed> Requests(string root) =>
        Files(Path.Combine(root, "fuzz", "corpus", "requests"), "*.json").Concat(Crashes(root));

    /// <summary>The JSON of each recorded event's data line (a realistic whole body), and the providers' error bodies.</summary>
    public static IEnumerable<Seed> JsonBodies(string root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var recording in Recordings(root, "*.sse"))
        {
            foreach (var line in Encoding.UTF8.GetString(recording.Bytes).Split('\n'))
            {
                if (line.StartsWith("data: {", StringComparison.Ordinal) && seen.Add(line))
                {
                    yield return new($"{recording.Name}-data-{seen.Count}", Encoding.UTF8.GetBytes(line["data: ".Length..]));
                }
            }
        }

        // Recorded whole bodies (Gemini's streamed JSON array among them).
        foreach (var body in Files(Path.Combine(root, "src", "Gateway.Tests", "StreamObservation", "Recordings"), "*.json"))
        {
            yield return body;
        }

        yield return new("anthropic-error-body", """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""u8.ToArray());
        yield return new("openai-error-body", """{"error":{"message":"Rate limit","type":"requests","param":null,"code":"rate_limit_exceeded"}}"""u8.ToArray());
    }

    /// <summary>Each Anthropic recording compressed three ways, behind the byte that selects the encoding.</summary>
    public static IEnumerable<Seed> Compressed(string root)
    {
        foreach (var recording in Files(Path.Combine(root, "src", "Gateway.Tests", "StreamObservation", "Recordings"), "anthropic-*.sse"))
        {
            for (var i = 0; i < DecompressionTarget.Encodings.Length; i++)
            {
                using var output = new MemoryStream();
                output.WriteByte((byte)i);
                using (Stream compressor = DecompressionTarget.Encodings[i] switch
                {
                    "gzip" => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
                    "deflate" => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
                    _ => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
                })
                {
                    compressor.Write(recording.Bytes);
                }

                yield return new($"{recording.Name}.{DecompressionTarget.Encodings[i]}", output.ToArray());
            }
        }
    }

    private static IEnumerable<Seed> Crashes(string root) => Files(Path.Combine(root, "fuzz", "corpus", "crashes"), "*");

    private static IEnumerable<Seed> Files(string directory, string pattern) =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, pattern).Order(StringComparer.Ordinal).Select(f => new Seed(Path.GetFileName(f), File.ReadAllBytes(f)))
            : [];
}
