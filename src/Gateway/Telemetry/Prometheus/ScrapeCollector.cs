using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Glassbox.Gateway.Telemetry.Prometheus;

/// <summary>
/// Serves scrapes from the metric reader that also pushes over OTLP, so every measurement is aggregated once, not
/// once per reader (a second reader cost about a fifth of the gateway's instructions per call). A scrape asks the
/// reader for a collection and the exporter renders that collection for it (<see cref="Render"/>); collections the
/// reader runs on its own schedule render nothing.
/// </summary>
internal sealed class ScrapeCollector : IDisposable
{
    private const int CollectTimeoutMilliseconds = 10_000;

    /// <summary>True on the thread while it runs a collection for a scrape: that collection is not an export tick.</summary>
    [ThreadStatic]
    private static bool t_collectingForScrape;

    private readonly SemaphoreSlim _oneScrapeAtATime = new(1, 1);
    private readonly ExpositionWriter _writer = new();

    // Reused by every scrape (one at a time): a response is tens to hundreds of KB, and buffers that size would be
    // large-object garbage per scrape, which only a full collection frees (the soak's RSS moved 11 % in 3 minutes).
    private readonly StringBuilder _text = new();
    private readonly Encoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();
    private byte[] _body = [];
    private ScrapeRequest? _pending;

    /// <summary>The reader whose collections are rendered; set once the meter provider has built it.</summary>
    public MetricReader? Reader { get; set; }

    /// <summary>Whether the collection running on this thread was started by a scrape.</summary>
    public static bool CollectingForScrape => t_collectingForScrape;

    /// <summary>
    /// Collects the current metrics, renders them in <paramref name="format"/> (UTF-8) and hands them to
    /// <paramref name="write"/>, which must be done with them when its task ends (the buffer is the next scrape's).
    /// False when no collection could be had in time.
    /// </summary>
    public async Task<bool> ScrapeAsync(ExpositionFormat format, Func<ReadOnlyMemory<byte>, Task> write, CancellationToken cancellationToken)
    {
        if (Reader is not { } reader)
        {
            return false;
        }

        await _oneScrapeAtATime.WaitAsync(cancellationToken);
        try
        {
            var request = new ScrapeRequest(format);
            Volatile.Write(ref _pending, request);
            t_collectingForScrape = true;
            try
            {
                // A collection the reader had already started when the request was posted may finish without rendering
                // it; Collect then returns that one's result, and the next call collects for this request.
                for (var attempt = 0; attempt < 3 && request.Length is null; attempt++)
                {
                    if (!reader.Collect(CollectTimeoutMilliseconds))
                    {
                        break;
                    }
                }
            }
            finally
            {
                t_collectingForScrape = false;
                Volatile.Write(ref _pending, null);
            }

            if (request.Length is not { } length)
            {
                return false;
            }

            await write(_body.AsMemory(0, length));
            return true;
        }
        finally
        {
            _oneScrapeAtATime.Release();
        }
    }

    /// <summary>Called by the exporter with every collection (the reader serialises them): renders it for a waiting scrape.</summary>
    public void Render(in Batch<Metric> batch, BaseProvider? provider)
    {
        if (Volatile.Read(ref _pending) is not { Length: null } request)
        {
            return;
        }

        _text.Clear();
        _writer.Write(_text, batch, provider?.GetResource() ?? OpenTelemetry.Resources.Resource.Empty, request.Format);
        var needed = Encoding.UTF8.GetMaxByteCount(_text.Length);
        if (_body.Length < needed)
        {
            _body = new byte[needed];
        }

        var length = 0;
        _utf8.Reset();
        foreach (var chunk in _text.GetChunks())
        {
            // The encoder carries a surrogate pair split across two chunks over to the next one.
            length += _utf8.GetBytes(chunk.Span, _body.AsSpan(length), flush: false);
        }

        length += _utf8.GetBytes(ReadOnlySpan<char>.Empty, _body.AsSpan(length), flush: true);
        request.Length = length;
    }

    public void Dispose() => _oneScrapeAtATime.Dispose();

    private sealed class ScrapeRequest(ExpositionFormat format)
    {
        public ExpositionFormat Format { get; } = format;

        /// <summary>Bytes of the rendered response in the body buffer, once rendered.</summary>
        public int? Length { get; set; }
    }
}
