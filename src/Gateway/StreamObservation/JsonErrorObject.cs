using System.Text.Json;

namespace Glassbox.Gateway.StreamObservation;

/// <summary>The <c>type</c>, <c>code</c> and <c>message</c> of a provider error object (every dialect uses a subset).</summary>
internal struct JsonErrorObject
{
    public bool Seen;
    public string? Type;
    public string? Code;
    public string? Message;

    /// <summary>The most specific identifier: <c>type</c>, else <c>code</c>, else <paramref name="fallback"/>.</summary>
    public readonly string TypeOrCode(string fallback) => Type ?? Code ?? fallback;

    /// <summary>Reads the error object the reader is on (StartObject).</summary>
    public void Read(ref Utf8JsonReader reader)
    {
        Seen = true;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("type"u8))
            {
                Type = JsonRead.String(ref reader, Type);
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                Code = JsonRead.String(ref reader, Code);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                Message = JsonRead.String(ref reader, Message);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }
    }
}
