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

    private static readonly JsonWriterOptions PrettyByTwo = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = true,
        IndentSize = 2,
    };

    public static byte[] Build(Action<Utf8JsonWriter> write) => Build(write, Compact);

    /// <summary>Indented by two spaces, no final newline, as Google writes its JSON bodies and array stream elements.</summary>
    public static byte[] BuildPrettyByTwo(Action<Utf8JsonWriter> write) => Build(write, PrettyByTwo);

    /// <summary>
    /// One line with a space after every key's colon and none after commas (<c>{"a": 1,"b": [2]}</c>),
    /// as Google writes each server-sent event of a Gemini stream.
    /// </summary>
    public static byte[] BuildSpacedLine(Action<Utf8JsonWriter> write)
    {
        var compact = Build(write, Compact);
        var spaced = new List<byte>(compact.Length + (compact.Length / 8));
        var inString = false;
        for (var i = 0; i < compact.Length; i++)
        {
            var b = compact[i];
            spaced.Add(b);
            if (inString)
            {
                if (b == (byte)'\\')
                    spaced.Add(compact[++i]);
                else if (b == (byte)'"')
                    inString = false;
            }
            else if (b == (byte)'"')
                inString = true;
            else if (b == (byte)':')
                spaced.Add((byte)' ');
        }

        return [.. spaced];
    }

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
