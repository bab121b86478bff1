using System.Text;
using Glassbox.Gateway.StreamObservation.Sse;

namespace Glassbox.Gateway.Tests.StreamObservation.Sse;

/// <summary>Whether an extra event can be appended to what was read so far without corrupting the stream.</summary>
public sealed class SseReaderEventBoundaryTests
{
    [Theory]
    [InlineData("")]
    [InlineData("event: ping\ndata: {}\n\n")]
    [InlineData("data: a\n\ndata: b\n\n")]
    [InlineData("data: x\r\n\r\n")]
    [InlineData("data: x\r\r")]
    [InlineData(": keep-alive\n")]
    [InlineData("data: x\n\n: comment\n")]
    [InlineData("event: ping\n\n")]
    public void IsAtEventBoundary_AfterWholeEvents_True(string fed)
    {
        Assert.True(Feed(fed).IsAtEventBoundary);
    }

    [Theory]
    [InlineData("data: {\"type\":\"mess")]
    [InlineData("event: message_start")]
    [InlineData("event: message_start\n")]
    [InlineData("event: message_start\ndata: {}\n")]
    [InlineData("data: a\n")]
    [InlineData("data: a\n\ndata: b\ndata: c\n")]
    [InlineData("data: a\n\nda")]
    [InlineData(": comment without its line end")]
    public void IsAtEventBoundary_MidLineOrMidEvent_False(string fed)
    {
        Assert.False(Feed(fed).IsAtEventBoundary);
    }

    [Fact]
    public void IsAtEventBoundary_SameStreamAnySplit_TrueExactlyAfterEachBlankLine()
    {
        var bytes = Encoding.UTF8.GetBytes("event: a\ndata: 1\n\ndata: 2\ndata: 3\n\n");
        var boundaries = new List<int>();
        using var reader = new SseReader();
        for (var i = 0; i < bytes.Length; i++)
        {
            reader.Feed(bytes.AsSpan(i, 1), NoSink.Instance);
            if (reader.IsAtEventBoundary)
            {
                boundaries.Add(i + 1);
            }
        }

        Assert.Equal([18, bytes.Length], boundaries);
    }

    [Fact]
    public void IsAtEventBoundary_OversizedEventBeingSkipped_FalseUntilItsBlankLine()
    {
        using var reader = new SseReader(maxEventBytes: 32);
        reader.Feed(Encoding.UTF8.GetBytes("data: " + new string('x', 64) + "\n"), NoSink.Instance);
        Assert.False(reader.IsAtEventBoundary);

        reader.Feed("\n"u8, NoSink.Instance);
        Assert.True(reader.IsAtEventBoundary);
    }

    [Fact]
    public void IsAtEventBoundary_AfterCompleteOfAPartialEvent_TrueAgain()
    {
        using var reader = Feed("data: par");

        Assert.True(reader.Complete());
        Assert.True(reader.IsAtEventBoundary);
    }

    private static SseReader Feed(string text)
    {
        var reader = new SseReader();
        reader.Feed(Encoding.UTF8.GetBytes(text), NoSink.Instance);
        return reader;
    }

    private sealed class NoSink : ISseEventSink
    {
        public static readonly NoSink Instance = new();

        public void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data)
        {
        }
    }
}
