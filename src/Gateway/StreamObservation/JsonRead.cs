using System.Text.Json;

namespace Glassbox.Gateway.StreamObservation;

/// <summary>
/// Small helpers over <see cref="Utf8JsonReader"/> for walking provider JSON by property name.
/// Every <c>Read*</c> helper is called with the reader on a property name, consumes the whole value
/// (skipping it when it has an unexpected kind) and leaves the reader on the value's last token.
/// </summary>
internal static class JsonRead
{
    /// <summary>Reads a string value; returns <paramref name="current"/> (no allocation) when equal, or when the value is not a string.</summary>
    public static string? String(ref Utf8JsonReader reader, string? current)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return current;
        }

        return current is not null && reader.ValueTextEquals(current) ? current : reader.GetString();
    }

    /// <summary>Reads an integer value; returns <paramref name="current"/> when the value is null or not an integer.</summary>
    public static long? Int64(ref Utf8JsonReader reader, long? current)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
        {
            return value;
        }

        reader.Skip();
        return current;
    }

    /// <summary>True when the value is a non-empty string (no allocation).</summary>
    public static bool NonEmptyString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.HasValueSequence ? reader.ValueSequence.Length > 0 : reader.ValueSpan.Length > 0;
        }

        reader.Skip();
        return false;
    }

    /// <summary>Moves onto the value; true when it is an object (reader on its StartObject), otherwise skips it.</summary>
    public static bool StartObject(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    /// <summary>Moves onto the value; true when it is an array (reader on its StartArray), otherwise skips it.</summary>
    public static bool StartArray(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    /// <summary>Advances to the next property of the current object; false at its end.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    /// <summary>Advances to the next element of the current array; true when it is an object (reader on its StartObject).</summary>
    public static bool NextObjectElement(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    public static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    /// <summary>
    /// Starts a reader over a JSON text; false when it does not start with an object. Callers read that
    /// one object and ignore whatever follows it (provider docs show samples with a stray closing brace).
    /// </summary>
    public static bool StartRootObject(ReadOnlySpan<byte> json, out Utf8JsonReader reader)
    {
        reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        return reader.Read() && reader.TokenType == JsonTokenType.StartObject;
    }

    /// <summary>
    /// The unescaped string value, in place when possible or copied into <paramref name="scratch"/>;
    /// empty when it is not a string or does not fit.
    /// </summary>
    public static ReadOnlySpan<byte> Utf8Value(in Utf8JsonReader reader, Span<byte> scratch)
    {
        if (reader.TokenType != JsonTokenType.String || reader.HasValueSequence)
        {
            return [];
        }

        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        return reader.ValueSpan.Length <= scratch.Length ? scratch[..reader.CopyString(scratch)] : [];
    }
}
