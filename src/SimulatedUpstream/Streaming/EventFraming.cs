using System.Text;

namespace Glassbox.SimulatedUpstream.Streaming;

/// <summary>How a stream puts one event on the wire, and what closes the stream.</summary>
internal abstract class EventFraming
{
    /// <summary><c>event: name\n</c> (when named) <c>data: json\n\n</c>: Anthropic and OpenAI.</summary>
    public static readonly EventFraming SseLf = new ServerSentEvents("\n");

    /// <summary><c>data: json\r\n\r\n</c>: Gemini's <c>?alt=sse</c> streams.</summary>
    public static readonly EventFraming SseCrLf = new ServerSentEvents("\r\n");

    /// <summary>One JSON array whose elements arrive one by one: Gemini's <c>streamGenerateContent</c> without <c>alt=sse</c>.</summary>
    public static readonly EventFraming JsonArray = new JsonArrayElements();

    /// <param name="index">How many events were written before this one.</param>
    public abstract byte[] Frame(string? eventName, byte[] json, int index);

    /// <summary>Bytes that end a complete stream, or empty.</summary>
    public virtual ReadOnlyMemory<byte> Closing => ReadOnlyMemory<byte>.Empty;

    private sealed class ServerSentEvents(string lineEnd) : EventFraming
    {
        private readonly byte[] _lineEnd = Encoding.ASCII.GetBytes(lineEnd);

        public override byte[] Frame(string? eventName, byte[] json, int index)
        {
            var frame = new List<byte>(json.Length + 32);
            if (eventName is not null)
            {
                frame.AddRange("event: "u8);
                frame.AddRange(Encoding.UTF8.GetBytes(eventName));
                frame.AddRange(_lineEnd);
            }

            frame.AddRange("data: "u8);
            frame.AddRange(json);
            frame.AddRange(_lineEnd);
            frame.AddRange(_lineEnd);
            return [.. frame];
        }
    }

    private sealed class JsonArrayElements : EventFraming
    {
        private static readonly byte[] ClosingBytes = "\r\n]"u8.ToArray();

        public override ReadOnlyMemory<byte> Closing => ClosingBytes;

        public override byte[] Frame(string? eventName, byte[] json, int index) =>
            index == 0 ? [(byte)'[', .. json] : [.. "\r\n,\r\n"u8, .. json];
    }
}
