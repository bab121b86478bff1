using System.Text;
using Glassbox.Gateway.StreamObservation.Sse;

namespace Glassbox.Gateway.Tests.StreamObservation.Sse;

public sealed class SseReaderTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    [Fact]
    public void Feed_LfLineEndings_DispatchesEvent()
    {
        var events = Parse("event: ping\ndata: {\"a\":1}\n\n");
        Assert.Equal([("ping", "{\"a\":1}")], events);
    }

    [Fact]
    public void Feed_CrLfLineEndings_DispatchesEvent()
    {
        var events = Parse("event: ping\r\ndata: x\r\n\r\ndata: y\r\n\r\n");
        Assert.Equal([("ping", "x"), ("", "y")], events);
    }

    [Fact]
    public void Feed_CrLineEndings_DispatchesEvent()
    {
        var events = Parse("event: ping\rdata: x\r\rdata: y\r\r");
        Assert.Equal([("ping", "x"), ("", "y")], events);
    }

    [Fact]
    public void Feed_MixedLineEndings_EachEndsOneLine()
    {
        var events = Parse("data: a\r\ndata: b\rdata: c\n\r\n");
        Assert.Equal([("", "a\nb\nc")], events);
    }

    [Fact]
    public void Feed_CrAtChunkEndAndLfInNextChunk_CountsAsOneLineEnd()
    {
        // Were CR and LF two line ends, the empty line between would dispatch "a" and "b" separately.
        var events = Parse("data: a\r", "\ndata: b\r", "\n\r", "\n");
        Assert.Equal([("", "a\nb")], events);
    }

    [Fact]
    public void Feed_EmptyChunkBetweenCrAndLf_StillOneLineEnd()
    {
        var events = Parse("data: a\r", "", "\ndata: b\r\n\r\n");
        Assert.Equal([("", "a\nb")], events);
    }

    [Fact]
    public void Feed_EmptyLine_DispatchesEachEvent()
    {
        var events = Parse("data: 1\n\ndata: 2\n\n\n\ndata: 3\n\n");
        Assert.Equal([("", "1"), ("", "2"), ("", "3")], events);
    }

    [Fact]
    public void Feed_CommentLines_AreIgnored()
    {
        var events = Parse(": keep-alive\n\n:\ndata: x\n: between\n\n");
        Assert.Equal([("", "x")], events);
    }

    [Fact]
    public void Feed_ValueContainingColons_SplitsAtFirstColonOnly()
    {
        var events = Parse("data: {\"a\": \"b:c\"}\n\n");
        Assert.Equal([("", "{\"a\": \"b:c\"}")], events);
    }

    [Fact]
    public void Feed_ValueWithLeadingSpaces_DropsExactlyOneSpace()
    {
        var events = Parse("data:  two spaces\n\ndata:none\n\ndata: \t tab\n\n");
        Assert.Equal([("", " two spaces"), ("", "none"), ("", "\t tab")], events);
    }

    [Fact]
    public void Feed_SeveralDataLines_JoinedWithLf()
    {
        var events = Parse("data: first\ndata:\ndata: third\n\n");
        Assert.Equal([("", "first\n\nthird")], events);
    }

    [Fact]
    public void Feed_EmptyDataLine_DispatchesEmptyData()
    {
        var events = Parse("data:\n\n");
        Assert.Equal([("", "")], events);
    }

    [Fact]
    public void Feed_EventLineWithoutData_DispatchesNothing()
    {
        var events = Parse("event: lonely\n\ndata: x\n\n");

        // The event type does not leak into the next block either.
        Assert.Equal([("", "x")], events);
    }

    [Fact]
    public void Feed_LastEventLineInBlock_Wins()
    {
        var events = Parse("event: a\nevent: b\ndata: x\n\n");
        Assert.Equal([("b", "x")], events);
    }

    [Fact]
    public void Complete_IncompleteEventAtEndOfStream_IsDropped()
    {
        using var reader = new SseReader();
        var sink = new RecordingSink();
        reader.Feed("data: done\n\ndata: cut"u8, sink);
        var pending = reader.Complete();

        Assert.True(pending);
        Assert.Equal([("", "done")], sink.Events);
    }

    [Fact]
    public void Complete_EventWithoutFinalBlankLine_IsDropped()
    {
        using var reader = new SseReader();
        var sink = new RecordingSink();
        reader.Feed("data: [DONE]\n"u8, sink);

        Assert.True(reader.Complete());
        Assert.Empty(sink.Events);
    }

    [Fact]
    public void Complete_AfterWholeEvents_ReportsNothingPending()
    {
        using var reader = new SseReader();
        reader.Feed("data: x\n\n"u8, new RecordingSink());

        Assert.False(reader.Complete());
    }

    [Fact]
    public void Feed_LeadingBom_IsSkipped()
    {
        var events = ParseBytes([.. Bom, .. "data: x\n\n"u8]);
        Assert.Equal([("", "x")], events);
    }

    [Fact]
    public void Feed_BomSplitAcrossChunks_IsSkipped()
    {
        var events = ParseBytes([Bom[0]], [Bom[1]], [Bom[2], .. "data: x\n\n"u8]);
        Assert.Equal([("", "x")], events);
    }

    [Fact]
    public void Feed_BomAfterStart_IsNotStripped()
    {
        // Only a BOM opening the stream is skipped; later it is part of the field name ("\uFEFFdata" is unknown).
        var events = ParseBytes([.. "data: a\n\n"u8, .. Bom, .. "data: b\n\n"u8]);
        Assert.Equal([("", "a")], events);
    }

    [Fact]
    public void Feed_FieldWithoutColon_IsFieldNameWithEmptyValue()
    {
        var events = Parse("data\n\ndata\ndata\n\nevent\ndata: x\n\n");
        Assert.Equal([("", ""), ("", "\n"), ("", "x")], events);
    }

    [Fact]
    public void Feed_UnknownIdAndRetryFields_AreIgnored()
    {
        var events = Parse("id: 7\nretry: 1000\nfoo: bar\nDATA: upper\ndata: x\n\n");
        Assert.Equal([("", "x")], events);
    }

    [Fact]
    public void Feed_BlockWithOnlyUnknownFields_DispatchesNothing()
    {
        var events = Parse("id: 1\nretry: 5\n\n");
        Assert.Empty(events);
    }

    [Fact]
    public void Feed_MultibyteUtf8SplitInsideCharacter_DecodesIntact()
    {
        var bytes = Encoding.UTF8.GetBytes("event: tëxt\ndata: héllo 🌍\n\n");
        var emoji = Array.IndexOf(bytes, (byte)0xF0);
        var e = Array.IndexOf(bytes, (byte)0xC3);
        for (var cut = 1; cut < 4; cut++)
        {
            var events = ParseBytes(bytes[..(emoji + cut)], bytes[(emoji + cut)..]);
            Assert.Equal([("tëxt", "héllo 🌍")], events);
        }

        Assert.Equal([("tëxt", "héllo 🌍")], ParseBytes(bytes[..(e + 1)], bytes[(e + 1)..]));
    }

    [Fact]
    public void Feed_FieldNameSplitAcrossChunks_IsRecognised()
    {
        var events = Parse("ev", "ent: a\nda", "t", "a: x\n", "\n");
        Assert.Equal([("a", "x")], events);
    }

    [Fact]
    public void Feed_SameStreamWholeByteByByteAndRandomSplits_YieldsIdenticalEvents()
    {
        var bytes = (byte[])[.. Bom, .. Encoding.UTF8.GetBytes(
            "event: message_start\r\ndata: {\"a\": \"héllo 🌍\"}\r\n\r\n" +
            ": comment\n" +
            "data: line1\rdata:line2\r\r" +
            "event: only-type\n\n" +
            "data\nid: 3\nretry: 10\nunknown\n\n" +
            "event: x\ndata:  spaced: value\n\r\n" +
            "data: [DONE]\n\n" +
            "data: unterminated")];
        var whole = ParseBytes(bytes);
        Assert.Equal(
            [
                ("message_start", "{\"a\": \"héllo 🌍\"}"),
                ("", "line1\nline2"),
                ("", ""),
                ("x", " spaced: value"),
                ("", "[DONE]"),
            ],
            whole);

        Assert.Equal(whole, ParseBytes([.. bytes.Select(b => new[] { b })]));

        var random = new Random(20240611);
        for (var round = 0; round < 500; round++)
        {
            var chunks = new List<byte[]>();
            var at = 0;
            while (at < bytes.Length)
            {
                var size = Math.Min(bytes.Length - at, random.Next(0, 12));
                chunks.Add(bytes[at..(at + size)]);
                at += size;
            }

            Assert.Equal(whole, ParseBytes([.. chunks]));
        }
    }

    [Fact]
    public void Feed_EventLargerThanCap_IsDroppedCountedAndNextEventStillDispatched()
    {
        using var reader = new SseReader(maxEventBytes: 64);
        var sink = new RecordingSink();
        var big = new string('x', 40);

        // Two data lines that each fit but together exceed the cap.
        reader.Feed(Encoding.UTF8.GetBytes($"data: {big}\ndata: {big}\n\ndata: ok\n\n"), sink);

        Assert.Equal(1, reader.OversizedEvents);
        Assert.Equal([("", "ok")], sink.Events);
    }

    [Fact]
    public void Feed_LineLargerThanCapAcrossChunks_IsDroppedWithoutGrowingPastCap()
    {
        using var reader = new SseReader(maxEventBytes: 64);
        var sink = new RecordingSink();
        reader.Feed("event: big\ndata: "u8, sink);
        for (var i = 0; i < 100; i++)
        {
            reader.Feed("yyyyyyyyyyyyyyyyyyyy"u8, sink);
        }

        reader.Feed("\r"u8, sink);
        reader.Feed("\ndata: still-same-event\n\nevent: next\ndata: ok\n\n"u8, sink);

        Assert.Equal(1, reader.OversizedEvents);
        Assert.Equal([("next", "ok")], sink.Events);
    }

    [Fact]
    public void Feed_LineLargerThanCapInOneChunk_IsDropped()
    {
        using var reader = new SseReader(maxEventBytes: 64);
        var sink = new RecordingSink();
        reader.Feed(Encoding.UTF8.GetBytes($"data: {new string('z', 100)}\n\ndata: ok\n\n"), sink);

        Assert.Equal(1, reader.OversizedEvents);
        Assert.Equal([("", "ok")], sink.Events);
    }

    [Fact]
    public void Feed_AfterDispose_IsIgnored()
    {
        var reader = new SseReader();
        var sink = new RecordingSink();
        reader.Feed("data: par"u8, sink);
        reader.Dispose();
        reader.Feed("tial\n\n"u8, sink);

        Assert.Empty(sink.Events);
    }

    private static List<(string Type, string Data)> Parse(params string[] chunks) =>
        ParseBytes([.. chunks.Select(Encoding.UTF8.GetBytes)]);

    private static List<(string Type, string Data)> ParseBytes(params byte[][] chunks)
    {
        using var reader = new SseReader();
        var sink = new RecordingSink();
        foreach (var chunk in chunks)
        {
            reader.Feed(chunk, sink);
        }

        reader.Complete();
        return sink.Events;
    }

    private sealed class RecordingSink : ISseEventSink
    {
        public List<(string Type, string Data)> Events { get; } = [];

        public void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data) =>
            Events.Add((Encoding.UTF8.GetString(eventType), Encoding.UTF8.GetString(data)));
    }
}
