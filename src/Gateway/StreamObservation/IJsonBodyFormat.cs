using System.Text.Json;

namespace Glassbox.Gateway.StreamObservation;

/// <summary>How a dialect reads a whole (non-streaming) JSON body, for <see cref="JsonBodyObserver"/>.</summary>
internal interface IJsonBodyFormat
{
    /// <summary>Reads a whole body, success or error, into <paramref name="facts"/>.</summary>
    void ReadBody(ReadOnlySpan<byte> json, ResponseFacts facts);

    /// <summary>Content capture only: the objects of a whole body whose <c>text</c> (or <c>content</c>) string is generated text.</summary>
    IEnumerable<JsonElement> GeneratedParts(JsonElement root);
}
