using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Glassbox.Gateway.Calls;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Dialects.Anthropic;
using Glassbox.Gateway.Dialects.OpenAI.Chat;
using Glassbox.Gateway.Dialects.OpenAI.Responses;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.StreamObservation.Tee;
using Glassbox.Gateway.Tests.Calls;
using Microsoft.Extensions.Time.Testing;

namespace Glassbox.Gateway.Tests.StreamObservation.Tee;

/// <summary>The tee: the client gets the upstream's bytes whatever the observer does, and a clean end when the upstream breaks.</summary>
public sealed class ObservingStreamTests
{
    private const string CompleteEvent = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":12}}}\n\n";
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task ReadAsync_ZeroByteReadIntoEmptyBuffer_IsNotTheEnd()
    {
        var observer = new RecordingObserver();
        var call = CallFixtures.Call(stream: true);
        await using var tee = Tee(new MemoryStream("data"u8.ToArray()), observer, call);

        Assert.Equal(0, await tee.ReadAsync(Memory<byte>.Empty));

        Assert.False(call.BodyEnded);
        Assert.Equal(0, observer.Ends);
        Assert.Equal("data", Encoding.UTF8.GetString(await ReadToEndAsync(tee)));
        Assert.True(call.BodyEnded);
    }

    [Fact]
    public async Task ReadAsync_Eof_OnEndCalledOnceAndEndTimeRecorded()
    {
        var observer = new RecordingObserver();
        var call = CallFixtures.Call(stream: true);
        await using var tee = Tee(new MemoryStream("hello"u8.ToArray()), observer, call);
        var buffer = new byte[64];

        Assert.Equal(5, await tee.ReadAsync(buffer));
        _time.Advance(TimeSpan.FromMilliseconds(40));
        Assert.Equal(0, await tee.ReadAsync(buffer));
        Assert.Equal(0, await tee.ReadAsync(buffer));

        Assert.Equal(1, observer.Ends);
        Assert.Equal("hello", observer.Text);
        Assert.True(call.BodyEnded);
        Assert.Equal(_time.GetTimestamp(), call.EndTimestamp);
    }

    [Fact]
    public async Task ReadAsync_ObserverThrows_BytesStillFlowUnchangedAndProblemRecorded()
    {
        var observer = new RecordingObserver { ThrowOnBytes = true };
        var call = CallFixtures.Call(stream: true);
        var payload = Encoding.UTF8.GetBytes(new string('z', 5000));
        await using var tee = Tee(new MemoryStream(payload), observer, call);

        var received = await ReadToEndAsync(tee, bufferSize: 1000);

        Assert.Equal(payload, received);
        Assert.Equal(1, observer.BytesCalls); // stopped observing after it threw
        Assert.Equal(1, observer.Disposals);
        Assert.Equal(0, observer.Ends);
        Assert.Contains("observer failed: InvalidOperationException", call.Response.ObservationProblem, StringComparison.Ordinal);
        Assert.True(call.BodyEnded);
    }

    [Fact]
    public async Task ReadAsync_ObserverThrowsAtEnd_EofStillReturnedAndProblemRecorded()
    {
        var observer = new RecordingObserver { ThrowOnEnd = true };
        var call = CallFixtures.Call(stream: true);
        await using var tee = Tee(new MemoryStream("abc"u8.ToArray()), observer, call);

        Assert.Equal("abc"u8.ToArray(), await ReadToEndAsync(tee));
        Assert.NotNull(call.Response.ObservationProblem);
        Assert.Equal(1, observer.Disposals);
    }

    [Fact]
    public void Dispose_Twice_DisposesObserverAndInnerOnce()
    {
        var observer = new RecordingObserver();
        var inner = new DisposeCountingStream();
        var call = CallFixtures.Call(stream: true);
        var tee = Tee(inner, observer, call);

        tee.Dispose();
        tee.Dispose();

        Assert.Equal(1, observer.Disposals);
        Assert.Equal(1, inner.Disposals);
        Assert.NotNull(call.EndTimestamp);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(7)]
    public async Task ReadAsync_UpstreamBreaksAfterACompleteEvent_ClientGetsTheDialectErrorEventThenEof(int bufferSize)
    {
        var call = CallFixtures.Call(ApiDialects.AnthropicMessages, stream: true);
        var upstream = new BreakingStream(Encoding.UTF8.GetBytes(CompleteEvent));
        await using var tee = Tee(upstream, new AnthropicMessagesStreamObserver(call.Response), call);

        var text = Encoding.UTF8.GetString(await ReadToEndAsync(tee, bufferSize));

        Assert.StartsWith(CompleteEvent + "event: error\ndata: ", text, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", text, StringComparison.Ordinal);
        var data = text[(CompleteEvent.Length + "event: error\ndata: ".Length)..].TrimEnd('\n');
        using var json = JsonDocument.Parse(data);
        Assert.Contains("upstream connection broke", json.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(StreamEndKind.UpstreamBroke, call.StreamEnd!.Kind);
        Assert.True(call.StreamEnd.ErrorEventAppended);
        Assert.IsType<IOException>(call.StreamEnd.Exception);
        Assert.False(call.BodyEnded);
        Assert.Equal(12, call.Response.InputTokens);
    }

    [Fact]
    public async Task ReadAsync_ChatStreamBreaksAfterACompleteEvent_DataOnlyErrorEvent()
    {
        var call = CallFixtures.Call(ApiDialects.OpenAIChatCompletions, stream: true);
        var upstream = new BreakingStream("data: {\"id\":\"c1\",\"choices\":[]}\n\n"u8.ToArray());
        await using var tee = Tee(upstream, new OpenAIChatStreamObserver(call.Response), call);

        var text = Encoding.UTF8.GetString(await ReadToEndAsync(tee));

        Assert.StartsWith("data: {\"id\":\"c1\",\"choices\":[]}\n\ndata: {\"error\":{", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("event:", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_UpstreamBreaksMidEvent_ClientResponseAbortedAfterTheBytesSoFar()
    {
        var partial = CompleteEvent + "event: content_block_delta\ndata: {\"type\":\"content_blo";
        var call = CallFixtures.Call(ApiDialects.AnthropicMessages, stream: true);
        await using var tee = Tee(new BreakingStream(Encoding.UTF8.GetBytes(partial)), new AnthropicMessagesStreamObserver(call.Response), call);
        var received = new MemoryStream();

        await Assert.ThrowsAsync<IOException>(() => CopyUntilFailureAsync(tee, received));

        Assert.Equal(partial, Encoding.UTF8.GetString(received.ToArray()));
        Assert.Equal(StreamEndKind.UpstreamBroke, call.StreamEnd!.Kind);
        Assert.False(call.StreamEnd.ErrorEventAppended);
    }

    [Fact]
    public async Task ReadAsync_CompressedBodyBreaksAtABoundary_ClientResponseAbortedNoPlainTextAppended()
    {
        var call = CallFixtures.Call(ApiDialects.AnthropicMessages, stream: true);
        call.ContentEncoding = "gzip";
        await using var tee = Tee(new BreakingStream(Encoding.UTF8.GetBytes(CompleteEvent)), new AnthropicMessagesStreamObserver(call.Response), call);
        var received = new MemoryStream();

        await Assert.ThrowsAsync<IOException>(() => CopyUntilFailureAsync(tee, received));

        Assert.Equal(CompleteEvent, Encoding.UTF8.GetString(received.ToArray()));
    }

    [Fact]
    public async Task ReadAsync_JsonBodyBreaks_ClientResponseAbortedSoTheTruncatedJsonDoesNotLookComplete()
    {
        const string partial = "{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"Hel";
        var call = CallFixtures.Call(ApiDialects.AnthropicMessages);
        await using var tee = Tee(new BreakingStream(Encoding.UTF8.GetBytes(partial)), new JsonBodyObserver(ApiDialects.AnthropicMessages, call.Response), call);
        var received = new MemoryStream();

        await Assert.ThrowsAsync<IOException>(() => CopyUntilFailureAsync(tee, received));

        Assert.Equal(partial, Encoding.UTF8.GetString(received.ToArray()));
    }

    [Fact]
    public async Task ReadAsync_UpstreamSilentPastIdleTimeoutMidEvent_ClientResponseAborted()
    {
        var pipe = new Pipe();
        var call = CallFixtures.Call(ApiDialects.AnthropicMessages, stream: true);
        await using var tee = Tee(pipe.Reader.AsStream(), new AnthropicMessagesStreamObserver(call.Response), call);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("event: content_block_delta\ndata: {\"ty"));
        var buffer = new byte[4096];
        Assert.True(await tee.ReadAsync(buffer) > 0);

        var pending = tee.ReadAsync(buffer).AsTask();
        _time.Advance(Idle);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(StreamEndKind.IdleTimeout, call.StreamEnd!.Kind);
        Assert.False(call.StreamEnd.ErrorEventAppended);
    }

    [Fact]
    public async Task ReadAsync_ClientGone_ErrorPropagatesAndCallSaysClientDisconnected()
    {
        using var clientGone = new CancellationTokenSource();
        var call = CallFixtures.Call(ApiDialects.AnthropicMessages, stream: true);
        call.ClientAborted = clientGone.Token;
        await using var tee = Tee(new BreakingStream(Encoding.UTF8.GetBytes(CompleteEvent)), new AnthropicMessagesStreamObserver(call.Response), call);
        var buffer = new byte[4096];
        Assert.Equal(CompleteEvent.Length, await tee.ReadAsync(buffer));
        await clientGone.CancelAsync();

        await Assert.ThrowsAsync<IOException>(async () => _ = await tee.ReadAsync(buffer));
        Assert.Equal(StreamEndKind.ClientLeft, call.StreamEnd!.Kind);
    }

    [Fact]
    public async Task ReadAsync_UpstreamSilentPastIdleTimeout_StreamEndsWithTimeoutErrorEvent()
    {
        var pipe = new Pipe();
        var call = CallFixtures.Call(ApiDialects.AnthropicMessages, stream: true);
        await using var tee = Tee(pipe.Reader.AsStream(), new AnthropicMessagesStreamObserver(call.Response), call);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(CompleteEvent));
        var buffer = new byte[4096];
        Assert.Equal(CompleteEvent.Length, await tee.ReadAsync(buffer));

        var pending = tee.ReadAsync(buffer).AsTask();
        _time.Advance(Idle - TimeSpan.FromSeconds(1));
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        var read = await pending.WaitAsync(TimeSpan.FromSeconds(5));

        var text = Encoding.UTF8.GetString(buffer, 0, read);
        Assert.StartsWith("event: error\ndata: ", text, StringComparison.Ordinal);
        Assert.Contains("idle timeout", text, StringComparison.Ordinal);
        Assert.Equal(0, await tee.ReadAsync(buffer));
        Assert.Equal(StreamEndKind.IdleTimeout, call.StreamEnd!.Kind);
    }

    [Fact]
    public async Task ReadAsync_SlowClientBetweenReads_DoesNotCountAsUpstreamIdle()
    {
        var pipe = new Pipe();
        var call = CallFixtures.Call(ApiDialects.AnthropicMessages, stream: true);
        await using var tee = Tee(pipe.Reader.AsStream(), new AnthropicMessagesStreamObserver(call.Response), call);
        var buffer = new byte[4096];
        await pipe.Writer.WriteAsync("data: 1\n\n"u8.ToArray());
        Assert.Equal(9, await tee.ReadAsync(buffer));

        _time.Advance(Idle * 3); // the forwarder is busy writing to a slow client: no read is pending
        await pipe.Writer.WriteAsync("data: 2\n\n"u8.ToArray());
        var read = await tee.ReadAsync(buffer);

        Assert.Equal("data: 2\n\n", Encoding.UTF8.GetString(buffer, 0, read));
        Assert.Null(call.StreamEnd);
    }

    private ObservingStream Tee(Stream inner, IResponseObserver? observer, AiCall call) => new(inner, observer, call, _time, Idle);

    /// <summary>Copies like the forwarder does, keeping what reached the client before a read failed.</summary>
    private static async Task CopyUntilFailureAsync(Stream source, Stream client)
    {
        var buffer = new byte[4096];
        int read;
        while ((read = await source.ReadAsync(buffer)) > 0)
        {
            client.Write(buffer, 0, read);
        }
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream, int bufferSize = 4096)
    {
        var all = new MemoryStream();
        var buffer = new byte[bufferSize];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            all.Write(buffer, 0, read);
        }

        return all.ToArray();
    }

    private sealed class RecordingObserver : IResponseObserver, IDisposable
    {
        private readonly StringBuilder _text = new();

        public bool ThrowOnBytes { get; init; }
        public bool ThrowOnEnd { get; init; }
        public int BytesCalls { get; private set; }
        public int Ends { get; private set; }
        public int Disposals { get; private set; }
        public string Text => _text.ToString();

        public void OnBytes(ReadOnlySpan<byte> chunk, long timestamp)
        {
            BytesCalls++;
            _text.Append(Encoding.UTF8.GetString(chunk));
            if (ThrowOnBytes)
            {
                throw new InvalidOperationException("observer bug");
            }
        }

        public void OnEnd(long timestamp)
        {
            Ends++;
            if (ThrowOnEnd)
            {
                throw new InvalidOperationException("observer bug");
            }
        }

        public void Dispose() => Disposals++;
    }

    /// <summary>Gives its bytes, then fails like a reset connection.</summary>
    private sealed class BreakingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position == Length)
            {
                throw new IOException("The response ended prematurely.", new System.Net.Sockets.SocketException(104));
            }

            return base.ReadAsync(buffer, cancellationToken);
        }
    }

    private sealed class DisposeCountingStream : MemoryStream
    {
        public int Disposals { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposals++;
            base.Dispose(disposing);
        }
    }
}
