using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Glassbox.SimulatedUpstream.Generation;

/// <summary>Compact JSON in the order the writer is called, escaping like the providers (<c>\"</c>, raw UTF-8).</summary>
internal static class JsonText
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonWriterOptions Pretty = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = true,
        IndentSize = 4,
    };

    public static byte[] Build(Action<Utf8JsonWriter> write) => Build(write, Compact);

    /// <summary>Indented by four spaces with a final newline, as OpenAI writes its error bodies.</summary>
    public static byte[] BuildPretty(Action<Utf8JsonWriter> write) => [.. Build(write, Pretty), (byte)'\n'];

    private static byte[] Build(Action<Utf8JsonWriter> write, JsonWriterOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
