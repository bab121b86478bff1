using System.IO.Compression;
using System.Text;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Dialects.Anthropic;
using Glassbox.Gateway.Dialects.OpenAI.Chat;
using Glassbox.Gateway.Dialects.OpenAI.Responses;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.StreamObservation.Decompression;
using Microsoft.Extensions.Time.Testing;

namespace Glassbox.Gateway.Tests.StreamObservation.Decompression;

/// <summary>A compressed body gives the same telemetry as the plain one, however the compressed bytes are split.</summary>
public sealed class DecompressingObserverTests
{
    private const string JsonBody = """
        {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hello there"}],
         "stop_reason":"end_turn","usage":{"input_tokens":321,"output_tokens":45,"cache_read_input_tokens":7}}
        """;

    private readonly FakeTimeProvider _time = new();

    public static TheoryData<string, string> EncodingsAndRecordings()
    {
        var data = new TheoryData<string, string>();
        foreach (var encoding in new[] { "gzip", "deflate", "br" })
        {
            foreach (var recording in new[] { "anthropic-text.sse", "anthropic-thinking-tools.sse", "openai-chat-text.sse", "openai-responses-text.sse" })
            {
                data.Add(encoding, recording);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EncodingsAndRecordings))]
    public async Task OnBytes_CompressedStreamInRandomChunks_SameFactsAsThePlainStream(string encoding, string recording)
    {
        var plain = Recordings.Load(recording);
        var expected = FactsSnapshot.Of(ObserverFeeding.Feed(f => StreamObserver(recording, f), [plain], timestamp: _time.GetTimestamp()));
        var compressed = Compress(encoding, plain);
        var random = new Random(recording.Length * 31 + encoding.Length);

        for (var round = 0; round < 5; round++)
        {
            var facts = new ResponseFacts();
            var observer = DecompressingObserver.Create(encoding, StreamObserver(recording, facts), facts, _time);
            foreach (var chunk in RandomChunks(compressed, random))
            {
                observer.OnBytes(chunk, _time.GetTimestamp());
            }

            observer.OnEnd(_time.GetTimestamp());
            await observer.Completion.WaitAsync(TimeSpan.FromSeconds(5));
            observer.Dispose();

            Assert.Equal(expected, FactsSnapshot.Of(facts));
        }

        Assert.True(expected.Completed);
        Assert.NotNull(expected.OutputTokens);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("x-gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task OnEnd_CompressedJsonBody_UsageRead(string encoding)
    {
        var facts = await ObserveAsync(encoding, Compress(encoding, Encoding.UTF8.GetBytes(JsonBody)), end: true);

        Assert.Equal(321, facts.InputTokens);
        Assert.Equal(45, facts.OutputTokens);
        Assert.Equal(7, facts.CacheReadInputTokens);
        Assert.True(facts.Completed);
        Assert.Null(facts.ObservationProblem);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task OnEnd_ArrivesAfterTheDecoderReachedTheCompressedEnd_UsageStillRead(string encoding)
    {
        // The copy loop hands over the last bytes, writes them to the client, and only then reads EOF:
        // the side copy may have decoded everything by then.
        var facts = new ResponseFacts();
        var plain = Encoding.UTF8.GetBytes(JsonBody);
        var inner = new SignallingObserver(new JsonBodyObserver(ApiDialects.AnthropicMessages, facts), plain.Length);
        var observer = DecompressingObserver.Create(encoding, inner, facts, _time);
        observer.OnBytes(Compress(encoding, plain), _time.GetTimestamp());
        await inner.AllBytesSeen.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, inner.Ends);

        observer.OnEnd(_time.GetTimestamp());
        await observer.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(321, facts.InputTokens);
        Assert.True(facts.Completed);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task OnEnd_NotCompressedDataDetectedBeforeTheEnd_ProblemRecorded(string encoding)
    {
        var facts = new ResponseFacts();
        var observer = DecompressingObserver.Create(encoding, new JsonBodyObserver(ApiDialects.AnthropicMessages, facts), facts, _time);
        observer.OnBytes(Encoding.UTF8.GetBytes(JsonBody), _time.GetTimestamp());
        await observer.DecodingStopped.WaitAsync(TimeSpan.FromSeconds(5)); // the decoder rejected the first bytes before the body ended
        Assert.Null(facts.ObservationProblem); // not yet known whether the body ended cleanly

        observer.OnEnd(_time.GetTimestamp());
        await observer.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Null(facts.InputTokens);
        Assert.Contains(encoding, facts.ObservationProblem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task OnEnd_TruncatedCompressedJsonBody_NoUsageAndAProblem(string encoding)
    {
        var compressed = Compress(encoding, Encoding.UTF8.GetBytes(JsonBody));

        var facts = await ObserveAsync(encoding, compressed[..(compressed.Length / 2)], end: true);

        Assert.Null(facts.InputTokens);
        Assert.Null(facts.OutputTokens);
        Assert.False(facts.Completed);
        Assert.NotNull(facts.ObservationProblem);
    }

    [Fact]
    public async Task OnEnd_TruncatedGzipStream_NoFinalUsageAndNotCompleted()
    {
        var plain = Recordings.Load("anthropic-text.sse");
        var compressed = Compress("gzip", plain);
        var facts = new ResponseFacts();
        var observer = DecompressingObserver.Create("gzip", new AnthropicMessagesStreamObserver(facts), facts, _time);

        observer.OnBytes(compressed.AsSpan(0, compressed.Length / 2), _time.GetTimestamp());
        observer.OnEnd(_time.GetTimestamp());
        await observer.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(facts.Completed);
        Assert.NotEqual(15, facts.OutputTokens); // message_delta's final count lies past the cut
        Assert.Null(facts.FinishReason);
    }

    [Fact]
    public async Task Dispose_WithoutEnd_DecodingStopsWithoutAProblemOrACompletedBody()
    {
        var compressed = Compress("gzip", Encoding.UTF8.GetBytes(JsonBody));
        var facts = new ResponseFacts();
        var observer = DecompressingObserver.Create("gzip", new JsonBodyObserver(ApiDialects.AnthropicMessages, facts), facts, _time);

        observer.OnBytes(compressed.AsSpan(0, compressed.Length / 2), _time.GetTimestamp());
        observer.Dispose();
        await observer.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        observer.OnBytes(compressed.AsSpan(compressed.Length / 2), _time.GetTimestamp());

        Assert.False(facts.Completed);
        Assert.Null(facts.InputTokens);
        Assert.Null(facts.ObservationProblem);
    }

    [Fact]
    public async Task OnEnd_NotActuallyCompressed_ProblemRecordedNoUsage()
    {
        var facts = await ObserveAsync("gzip", Encoding.UTF8.GetBytes(JsonBody), end: true);

        Assert.Null(facts.InputTokens);
        Assert.Contains("gzip", facts.ObservationProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abandon_WhileTheInnerObserverIsBusy_NothingReachesTheFactsAfterItReturned()
    {
        var plain = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("data: {\"type\":\"ping\"}\n\n", 8000)));
        var facts = new ResponseFacts();
        var inner = new GatedObserver();
        var observer = DecompressingObserver.Create("gzip", inner, facts, _time);
        observer.OnBytes(Compress("gzip", plain), _time.GetTimestamp());
        observer.OnEnd(_time.GetTimestamp());
        await inner.Entered.WaitAsync(TimeSpan.FromSeconds(5));

        var abandoning = Task.Run(observer.Abandon);
        while (!observer.AbandonRequested)
        {
            await Task.Yield();
        }

        inner.Release();
        await abandoning.WaitAsync(TimeSpan.FromSeconds(5));
        var callsWhenAbandoned = inner.Calls;
        await observer.Completion.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(callsWhenAbandoned, inner.Calls);
        Assert.True(inner.Calls < plain.Length / (16 * 1024), $"{inner.Calls} chunks observed: decoding went on");
        Assert.Equal(0, inner.Ends);
    }

    [Theory]
    [InlineData("gzip", true)]
    [InlineData("GZIP", true)]
    [InlineData("x-gzip", true)]
    [InlineData("deflate", true)]
    [InlineData("br", true)]
    [InlineData("zstd", false)]
    [InlineData("compress", false)]
    public void CanDecode_Encoding_OnlyTheOnesItDecodes(string encoding, bool expected)
    {
        Assert.Equal(expected, DecompressingObserver.CanDecode(encoding));
    }

    private async Task<ResponseFacts> ObserveAsync(string encoding, byte[] bytes, bool end)
    {
        var facts = new ResponseFacts();
        var observer = DecompressingObserver.Create(encoding, new JsonBodyObserver(ApiDialects.AnthropicMessages, facts), facts, _time);
        foreach (var chunk in RandomChunks(bytes, new Random(bytes.Length)))
        {
            observer.OnBytes(chunk, _time.GetTimestamp());
        }

        if (end)
        {
            observer.OnEnd(_time.GetTimestamp());
        }

        await observer.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        observer.Dispose();
        return facts;
    }

    /// <summary>Passes everything on and signals once a given number of decoded bytes arrived.</summary>
    private sealed class SignallingObserver(IResponseObserver inner, int expectedBytes) : IResponseObserver
    {
        private readonly TaskCompletionSource _allBytesSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _bytes;

        public Task AllBytesSeen => _allBytesSeen.Task;
        public int Ends { get; private set; }

        public void OnBytes(ReadOnlySpan<byte> chunk, long timestamp)
        {
            inner.OnBytes(chunk, timestamp);
            if ((_bytes += chunk.Length) >= expectedBytes)
            {
                _allBytesSeen.TrySetResult();
            }
        }

        public void OnEnd(long timestamp)
        {
            Ends++;
            inner.OnEnd(timestamp);
        }
    }

    /// <summary>Blocks in its first OnBytes until released, like an observer that takes long on one chunk.</summary>
    private sealed class GatedObserver : IResponseObserver, IDisposable
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _gate = new();
        private int _calls;
        private int _ends;

        public Task Entered => _entered.Task;
        public int Calls => Volatile.Read(ref _calls);
        public int Ends => Volatile.Read(ref _ends);

        public void Release() => _gate.Set();

        public void OnBytes(ReadOnlySpan<byte> chunk, long timestamp)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                _entered.TrySetResult();
                _gate.Wait(TimeSpan.FromSeconds(10));
            }
        }

        public void OnEnd(long timestamp) => Interlocked.Increment(ref _ends);

        public void Dispose() => _gate.Dispose();
    }

    private static IResponseObserver StreamObserver(string recording, ResponseFacts facts) => recording switch
    {
        _ when recording.StartsWith("anthropic", StringComparison.Ordinal) => new AnthropicMessagesStreamObserver(facts),
        _ when recording.StartsWith("openai-chat", StringComparison.Ordinal) => new OpenAIChatStreamObserver(facts),
        _ => new OpenAIResponsesStreamObserver(facts),
    };

    private static IEnumerable<byte[]> RandomChunks(byte[] bytes, Random random)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var size = Math.Min(bytes.Length - offset, random.Next(1, 40));
            yield return bytes[offset..(offset + size)];
            offset += size;
        }
    }

    private static byte[] Compress(string encoding, byte[] plain)
    {
        using var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" or "x-gzip" => new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true),
            "deflate" => new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true),
            _ => new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true),
        })
        {
            compressor.Write(plain);
        }

        return output.ToArray();
    }
}
