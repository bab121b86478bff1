using Glassbox.Gateway.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Glassbox.Gateway.Tests.Requests;

/// <summary>The request body held once and replayed on every attempt; bodies past the limit are refused.</summary>
public sealed class BufferedRequestBodyTests
{
    private const int Limit = 1000;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAsync_UnderTheLimit_HoldsTheExactBytes(bool withContentLength)
    {
        var bytes = Bytes(700);

        using var body = await BufferedRequestBody.ReadAsync(Request(bytes, withContentLength), Limit, CancellationToken.None);

        Assert.NotNull(body);
        Assert.Equal(bytes, body.Span.ToArray());
        Assert.Equal(700, body.Length);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAsync_ExactlyTheLimit_Accepted(bool withContentLength)
    {
        var bytes = Bytes(Limit);

        using var body = await BufferedRequestBody.ReadAsync(Request(bytes, withContentLength), Limit, CancellationToken.None);

        Assert.NotNull(body);
        Assert.Equal(bytes, body.Memory.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAsync_OneByteOverTheLimit_Null(bool withContentLength)
    {
        Assert.Null(await BufferedRequestBody.ReadAsync(Request(Bytes(Limit + 1), withContentLength), Limit, CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_ContentLengthOverTheLimit_RefusedWithoutReadingTheBody()
    {
        var stream = new CountingStream(Bytes(10));
        var request = new DefaultHttpContext().Request;
        request.Body = stream;
        request.ContentLength = Limit + 1;

        Assert.Null(await BufferedRequestBody.ReadAsync(request, Limit, CancellationToken.None));
        Assert.Equal(0, stream.Reads);
    }

    [Fact]
    public async Task ReadAsync_ContentLengthUnderstatesABodyOverTheLimit_Null()
    {
        var request = Request(Bytes(5000), withContentLength: false);
        request.ContentLength = 10;

        Assert.Null(await BufferedRequestBody.ReadAsync(request, Limit, CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_BodyTricklesInOneByteAtATime_HoldsTheExactBytes()
    {
        var bytes = Bytes(40_000);
        var request = new DefaultHttpContext().Request;
        request.Body = new CountingStream(bytes, maxPerRead: 1);

        using var body = await BufferedRequestBody.ReadAsync(request, 64 * 1024, CancellationToken.None);

        Assert.NotNull(body);
        Assert.Equal(bytes, body.Span.ToArray());
    }

    [Fact]
    public async Task ReadAsync_EmptyBody_EmptyNotNull()
    {
        using var body = await BufferedRequestBody.ReadAsync(Request([], withContentLength: true), Limit, CancellationToken.None);

        Assert.NotNull(body);
        Assert.Equal(0, body.Length);
    }

    [Fact]
    public async Task ReadAsync_LimitIsLongMaxValue_SmallBodyAccepted()
    {
        // Glassbox:MaxRequestBodyBytes accepts any value up to long.MaxValue ("no limit").
        var bytes = Bytes(300);

        using var withLength = await BufferedRequestBody.ReadAsync(Request(bytes, withContentLength: true), long.MaxValue, CancellationToken.None);
        using var withoutLength = await BufferedRequestBody.ReadAsync(Request(bytes, withContentLength: false), long.MaxValue, CancellationToken.None);

        Assert.Equal(bytes, withLength!.Span.ToArray());
        Assert.Equal(bytes, withoutLength!.Span.ToArray());
    }

    [Fact]
    public async Task Rewind_Twice_EachAttemptReadsTheSameBytesAndContentLength()
    {
        var bytes = Bytes(900);
        var request = Request(bytes, withContentLength: false);
        using var body = await BufferedRequestBody.ReadAsync(request, Limit, CancellationToken.None);

        body!.Rewind(request);
        var first = await ReadAllAsync(request.Body);
        body.Rewind(request);
        var second = await ReadAllAsync(request.Body);

        Assert.Equal(bytes, first);
        Assert.Equal(bytes, second);
        Assert.Equal(900, request.ContentLength);
    }

    [Fact]
    public async Task Rewind_BodyFullyRead_ReportsSentOnceAtTheClocksTime()
    {
        var time = new FakeTimeProvider();
        var request = Request(Bytes(500), withContentLength: true);
        using var body = await BufferedRequestBody.ReadAsync(request, Limit, CancellationToken.None);
        var sent = new List<long>();
        body!.Rewind(request, sent: sent.Add, time: time);

        var buffer = new byte[200];
        Assert.Equal(200, await request.Body.ReadAsync(buffer));
        Assert.Empty(sent);
        time.Advance(TimeSpan.FromMilliseconds(5));
        while (await request.Body.ReadAsync(buffer) > 0)
        {
        }

        Assert.Equal(0, await request.Body.ReadAsync(buffer));
        Assert.Equal([time.GetTimestamp()], sent);
    }

    private static HttpRequest Request(byte[] bytes, bool withContentLength)
    {
        var request = new DefaultHttpContext().Request;
        request.Body = new MemoryStream(bytes);
        request.ContentLength = withContentLength ? bytes.Length : null;
        return request;
    }

    private static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>A body that counts reads and may hand out only a few bytes per read, like a slow client.</summary>
    private sealed class CountingStream(byte[] bytes, int maxPerRead = int.MaxValue) : MemoryStream(bytes)
    {
        public int Reads { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            return base.ReadAsync(buffer[..Math.Min(buffer.Length, maxPerRead)], cancellationToken);
        }
    }
}
