using System.Text;
using System.Text.Json;

namespace Glassbox.Gateway.StreamObservation;

/// <summary>
/// The generated text of a response, kept only when the operator opted into content capture
/// (<c>gen_ai.output.messages</c>). Capped: text past the cap is dropped and the cut is noted.
/// </summary>
internal sealed class OutputCapture(int maxChars)
{
    private readonly StringBuilder _text = new();

    public bool Truncated { get; private set; }

    public string Text => _text.ToString();

    /// <summary>Appends the string value the reader is positioned on.</summary>
    public void Append(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            Append(reader.GetString());
        }
    }

    public void Append(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var room = maxChars - _text.Length;
        if (text.Length > room)
        {
            Truncated = true;
            text = text[..Math.Max(0, room)];
        }

        _text.Append(text);
    }
}
