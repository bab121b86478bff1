using System.Buffers;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Dialects.Gemini;

/// <summary>
/// Observes a Gemini JSON body as it arrives: a whole <c>GenerateContentResponse</c> (<c>generateContent</c>, or any
/// error), or the JSON array <c>streamGenerateContent</c> sends without <c>alt=sse</c>, whose elements are read one by
/// one as each closes, never the array as a whole. A scanner follows strings and nesting across chunks; only the
/// bytes of the current object are kept (in a pooled buffer, up to the document cap, and not at all when an object
/// arrives within one chunk). Dispose returns the buffer.
/// </summary>
internal sealed class GeminiJsonObserver : IResponseObserver, IDisposable
{
    private static readonly SearchValues<byte> Structural = SearchValues.Create("\"{}[]"u8);
    private static readonly SearchValues<byte> InString = SearchValues.Create("\"\\"u8);

    private readonly ResponseFacts _facts;
    private readonly int _maxDocumentBytes;
    private Shape _shape;
    private int _depth;
    private bool _inString;
    private bool _escaped;
    private bool _inDocument;
    private bool _oversized;
    private bool _parsedRoot;
    private bool _finished;
    private byte[] _buffer = [];
    private int _length;

    public GeminiJsonObserver(ResponseFacts facts, int maxDocumentBytes = ObservationLimits.DefaultMaxDocumentBytes)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDocumentBytes, 1);
        _facts = facts;
        _maxDocumentBytes = maxDocumentBytes;
    }

    private enum Shape
    {
        Unknown,
        Object,
        Array,
        Closed,
        Invalid,
    }

    /// <summary>The nesting depth at which the objects read as one response start: the root, or the array's elements.</summary>
    private int DocumentDepth => _shape == Shape.Array ? 1 : 0;

    public void OnBytes(ReadOnlySpan<byte> chunk, long timestamp)
    {
        var documentStart = _inDocument ? 0 : -1;
        var i = 0;
        while (i < chunk.Length && _shape is not (Shape.Closed or Shape.Invalid))
        {
            if (_inString)
            {
                if (_escaped)
                {
                    _escaped = false;
                    i++;
                    continue;
                }

                var next = chunk[i..].IndexOfAny(InString);
                if (next < 0)
                {
                    break;
                }

                i += next;
                if (chunk[i] == (byte)'\\')
                {
                    _escaped = true;
                }
                else
                {
                    _inString = false;
                }

                i++;
                continue;
            }

            if (_shape == Shape.Unknown)
            {
                var first = chunk[i..].IndexOfAnyExcept(" \t\r\n"u8);
                if (first < 0)
                {
                    break;
                }

                i += first;
                _shape = chunk[i] switch
                {
                    (byte)'{' => Shape.Object,
                    (byte)'[' => Shape.Array,
                    _ => Shape.Invalid,
                };
                if (_shape == Shape.Invalid)
                {
                    _facts.RecordProblem("Gemini response body is neither a JSON object nor an array.");
                    break;
                }
            }

            var found = chunk[i..].IndexOfAny(Structural);
            if (found < 0)
            {
                break;
            }

            i += found;
            switch (chunk[i])
            {
                case (byte)'"':
                    _inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    if (_depth == DocumentDepth && chunk[i] == (byte)'{' && !_inDocument)
                    {
                        _inDocument = true;
                        documentStart = i;
                    }

                    _depth++;
                    break;
                default:
                    _depth--;
                    if (_depth < 0)
                    {
                        _shape = Shape.Invalid;
                        _facts.RecordProblem("Malformed JSON in a Gemini response body.");
                        break;
                    }

                    if (_inDocument && _depth == DocumentDepth)
                    {
                        EndDocument(chunk[documentStart..(i + 1)], timestamp);
                        documentStart = -1;
                    }

                    if (_depth == 0)
                    {
                        CloseRoot();
                    }

                    break;
            }

            i++;
        }

        if (_inDocument && documentStart >= 0 && _shape != Shape.Invalid)
        {
            Keep(chunk[documentStart..]);
        }
    }

    public void OnEnd(long timestamp)
    {
        if (_shape is Shape.Object or Shape.Array)
        {
            _facts.RecordProblem("Gemini response body ended inside its JSON.");
        }

        _shape = Shape.Invalid;
        ReturnBuffer();
    }

    public void Dispose()
    {
        _shape = Shape.Invalid;
        ReturnBuffer();
    }

    private void CloseRoot()
    {
        // A whole body is complete once parsed; a stream once it ended after its finish (or block) reason.
        _facts.Completed = _shape == Shape.Object ? _parsedRoot : _finished;
        _shape = Shape.Closed;
    }

    /// <summary>One response object closed; <paramref name="tail"/> is its part in the current chunk.</summary>
    private void EndDocument(ReadOnlySpan<byte> tail, long timestamp)
    {
        _inDocument = false;
        if (_oversized || (_length > 0 && !Keep(tail)))
        {
            _oversized = false; // skipped; the next object starts afresh
            return;
        }

        var document = _length == 0 ? tail : _buffer.AsSpan(0, _length);
        try
        {
            if (GeminiJson.TryRead(document, _facts, timestamp, streamed: _shape == Shape.Array, out var finished))
            {
                _finished |= finished;
                _parsedRoot = _shape == Shape.Object;
            }
        }
        catch (Exception)
        {
            // JsonException for malformed JSON, InvalidOperationException/FormatException for odd values.
            _facts.RecordProblem("Malformed JSON in a Gemini response body.");
        }

        _length = 0;
    }

    /// <summary>Keeps part of the current object; false (and the object skipped) when it outgrows the cap.</summary>
    private bool Keep(ReadOnlySpan<byte> part)
    {
        if (_oversized)
        {
            return false;
        }

        var needed = _length + part.Length;
        if (needed > _maxDocumentBytes)
        {
            _oversized = true;
            _facts.RecordProblem("A Gemini response object exceeded the observation cap; it was not parsed.");
            ReturnBuffer();
            return false;
        }

        if (needed > _buffer.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Min(_maxDocumentBytes, Math.Max(needed, Math.Max(4096, _buffer.Length * 2))));
            _buffer.AsSpan(0, _length).CopyTo(grown);
            ReturnPooled();
            _buffer = grown;
        }

        part.CopyTo(_buffer.AsSpan(_length));
        _length = needed;
        return true;
    }

    private void ReturnBuffer()
    {
        ReturnPooled();
        _buffer = [];
        _length = 0;
    }

    private void ReturnPooled()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
