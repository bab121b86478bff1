using System.Diagnostics;
using System.IO.Compression;
using System.Net;

namespace Glassbox.Gateway.Tests.SimulatedUpstream;

public sealed class CompressionTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await SimulatorHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient RawClient() => _host.CreateClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None });

    private static HttpRequestMessage Stream(string? compress, string? acceptEncoding, params (string, string)[] more)
    {
        (string, string)[] headers = [("x-sim-id", "Z1"), ("x-sim-created", "1700000000"), ("x-sim-deltas", "3"), .. more];
        if (compress is not null)
            headers = [.. headers, ("x-sim-compress", compress)];
        var request = SimulatorHost.Post("v1/chat/completions", """{"model":"m","stream":true,"stream_options":{"include_usage":true}}""", true, headers);
        if (acceptEncoding is not null)
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        return request;
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Compress_ClientAccepts_DecompressesToPlainBytes(string encoding)
    {
        using var client = RawClient();
        using var plainRequest = Stream(null, null);
        using var compressedRequest = Stream(encoding, "gzip, deflate, br");

        using var plain = await client.SendAsync(plainRequest);
        using var compressed = await client.SendAsync(compressedRequest);
        var compressedBody = await compressed.Content.ReadAsStreamAsync();
        await using Stream decoder = encoding == "gzip"
            ? new GZipStream(compressedBody, CompressionMode.Decompress)
            : new BrotliStream(compressedBody, CompressionMode.Decompress);
        using var reader = new StreamReader(decoder);

        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal([encoding], compressed.Content.Headers.ContentEncoding);
        Assert.Equal(await plain.Content.ReadAsStringAsync(), await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task Compress_ClientDoesNotAccept_SendsPlain()
    {
        using var client = RawClient();
        using var request = Stream("gzip", "identity");

        using var response = await client.SendAsync(request);

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.EndsWith("data: [DONE]\n\n", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompressGzip_Streaming_EachEventFlushedThroughCompressor()
    {
        using var client = RawClient();
        using var request = Stream("gzip", "gzip", ("x-sim-delta-gap-ms", "300"));
        var clock = Stopwatch.StartNew();

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var decoder = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        var lines = await SseTestReader.TimedLinesAsync(decoder, clock);

        var deltas = lines.Where(l => l.Line.Contains("\"content\":\"word", StringComparison.Ordinal)).Select(l => l.At).ToList();
        Assert.Equal(3, deltas.Count);
        Assert.True((deltas[1] - deltas[0]).TotalMilliseconds >= 0.8 * 300, $"gap {deltas[1] - deltas[0]}");
        Assert.True((deltas[2] - deltas[1]).TotalMilliseconds >= 0.8 * 300, $"gap {deltas[2] - deltas[1]}");
    }

    [Fact]
    public async Task CompressGzip_NonStreaming_DecompressesToJson()
    {
        using var client = _host.CreateClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.GZip });
        using var request = SimulatorHost.Post("v1/messages", """{"model":"m"}""", true, ("x-sim-compress", "gzip"));

        using var response = await client.SendAsync(request);

        Assert.Contains("\"text\":\"word0 word1 word2 word3 word4 \"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
