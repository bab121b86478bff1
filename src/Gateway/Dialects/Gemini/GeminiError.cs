using System.Globalization;
using System.Text.Json;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Dialects.Gemini;

/// <summary>A <c>google.rpc.Status</c> error object: <c>code</c>, <c>message</c>, <c>status</c> and the <c>RetryInfo</c> in <c>details</c>.</summary>
internal struct GeminiError
{
    public bool Seen;
    public string? Status;
    public string? Message;
    public string? RetryDelay;

    /// <summary>Reads the error object the reader is on (StartObject).</summary>
    public void Read(ref Utf8JsonReader reader)
    {
        Seen = true;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("status"u8))
            {
                Status = JsonRead.String(ref reader, Status);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                Message = JsonRead.String(ref reader, Message);
            }
            else if (reader.ValueTextEquals("details"u8))
            {
                if (JsonRead.StartArray(ref reader))
                {
                    while (JsonRead.NextObjectElement(ref reader))
                    {
                        ReadDetail(ref reader);
                    }
                }
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }
    }

    /// <summary>
    /// A <c>google.protobuf.Duration</c> in its JSON form (<c>"30s"</c>, <c>"1.5s"</c>); null when it is not one.
    /// </summary>
    public static TimeSpan? ParseDuration(string? value)
    {
        if (value is not { Length: > 1 } || value[^1] != 's'
            || !double.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return null;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>One entry of <c>details</c>; only a <c>RetryInfo</c>'s <c>retryDelay</c> is kept (whatever its <c>@type</c> says, the field is unique to it).</summary>
    private void ReadDetail(ref Utf8JsonReader reader)
    {
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("retryDelay"u8))
            {
                RetryDelay = JsonRead.String(ref reader, RetryDelay);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }
    }
}
