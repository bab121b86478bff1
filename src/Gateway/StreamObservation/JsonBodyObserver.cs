using System.Buffers;
using System.Text.Json;

namespace Glassbox.Gateway.StreamObservation;

/// <summary>
/// Observes a non-streaming JSON body (success or error, in the format a dialect gives): buffers it, up to a cap, in a
/// pooled buffer and parses it once at the end. Over the cap the body is not parsed and a problem is
/// recorded. Dispose returns the buffer (it is also returned as soon as the body was parsed).
/// </summary>
internal sealed class JsonBodyObserver : IResponseObserver, IDisposable
{
    public const int DefaultMaxBodyBytes = ObservationLimits.DefaultMaxDocumentBytes;

    private readonly IJsonBodyFormat _format;
    private readonly ResponseFacts _facts;
    private readonly int _maxBodyBytes;
    private byte[] _buffer = [];
    private int _length;
    private bool _overflowed;
    private bool _done;

    public JsonBodyObserver(IJsonBodyFormat format, ResponseFacts facts, int maxBodyBytes = DefaultMaxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBodyBytes, 1);
        _format = format;
        _facts = facts;
        _maxBodyBytes = maxBodyBytes;
    }

    public void OnBytes(ReadOnlySpan<byte> chunk, long timestamp)
    {
        if (_done || _overflowed || chunk.IsEmpty)
        {
            return;
        }

        var needed = _length + chunk.Length;
        if (needed > _maxBodyBytes)
        {
            _overflowed = true;
            _facts.RecordProblem("Response body exceeded the observation cap; it was not parsed.");
            ReturnBuffer();
            return;
        }

        if (needed > _buffer.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Min(_maxBodyBytes, Math.Max(needed, Math.Max(4096, _buffer.Length * 2))));
            _buffer.AsSpan(0, _length).CopyTo(grown);
            ReturnBuffer();
            _buffer = grown;
        }

        chunk.CopyTo(_buffer.AsSpan(_length));
        _length = needed;
    }

    public void OnEnd(long timestamp)
    {
        if (_done)
        {
            return;
        }

        _done = true;
        if (!_overflowed && _length > 0)
        {
            try
            {
                Parse(_buffer.AsSpan(0, _length));
            }
            catch (Exception)
            {
                _facts.RecordProblem("Malformed JSON in the response body.");
            }
        }

        ReturnBuffer();
    }

    public void Dispose()
    {
        _done = true;
        ReturnBuffer();
    }

    private void Parse(ReadOnlySpan<byte> json)
    {
        _format.ReadBody(json, _facts);
        if (_facts.Output is { } output)
        {
            CaptureText(json, output);
        }
    }

    /// <summary>Content capture only (opt-in): the generated text of a whole response body.</summary>
    private void CaptureText(ReadOnlySpan<byte> json, OutputCapture output)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            foreach (var part in _format.GeneratedParts(document.RootElement))
            {
                if (part.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if ((part.TryGetProperty("text", out var text) || part.TryGetProperty("content", out text)) && text.ValueKind == JsonValueKind.String)
                {
                    output.Append(text.GetString());
                }
            }
        }
        catch (JsonException)
        {
            // Already recorded by the parse above; capture is best effort.
        }
    }

    private void ReturnBuffer()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
        _length = 0;
    }
}
