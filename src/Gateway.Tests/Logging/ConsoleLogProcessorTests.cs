using System.Diagnostics.Metrics;
using System.Text;
using Glassbox.Gateway.Logging;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;

namespace Glassbox.Gateway.Tests.Logging;

/// <summary>The console gets every line, in order, as the gateway wrote it; a console that cannot keep up loses lines, never the caller's time, and says so.</summary>
public sealed class ConsoleLogProcessorTests
{
    [Fact]
    public void Log_SeveralLines_WrittenInOrderWithLevelAndException()
    {
        var output = new MemoryStream();
        using (var factory = Factory(output, out _))
        {
            var logger = factory.CreateLogger("Glassbox.Test");
            logger.LogInformation("first {Value}", 1);
            logger.LogWarning("second {Value}", "two");
            logger.LogError(new InvalidOperationException("broken-7f3"), "third");
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n');
        Assert.Matches(@"^\[\d\d:\d\d:\d\d INF\] first 1$", lines[0]);
        Assert.Matches(@"^\[\d\d:\d\d:\d\d WRN\] second two$", lines[1]);
        Assert.Matches(@"^\[\d\d:\d\d:\d\d ERR\] third$", lines[2]);
        Assert.StartsWith("System.InvalidOperationException: broken-7f3", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Log_ConsoleStalled_LinesBeyondTheQueueDroppedCountedAndReported()
    {
        var output = new StalledStream();
        // More than the writer's own 64 KB buffer takes in before it blocks on the stalled stream.
        const int Extra = 5_000;
        var meterName = "Glassbox.Gateway.Tests.Logging." + Guid.NewGuid().ToString("N");
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == meterName && instrument.Name == Gateway.Telemetry.TelemetryNames.Own.MetricLogsDropped)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        listener.Start();

        using (var factory = Factory(output, out var processor, meterName))
        {
            var logger = factory.CreateLogger("Glassbox.Test");
            for (var i = 0; i < ConsoleLogProcessor.QueueCapacity + Extra; i++)
            {
                logger.LogInformation("line {Number}", i);
            }

            output.Release();
            Assert.True(processor.ForceFlush(30_000));
        }

        var text = Encoding.UTF8.GetString(output.Written.ToArray());
        var written = text.Split('\n').Count(l => l.Contains("] line ", StringComparison.Ordinal));
        var dropped = ConsoleLogProcessor.QueueCapacity + Extra - written;
        Assert.InRange(dropped, 1, Extra);
        Assert.Equal(dropped, Interlocked.Read(ref counted));
        Assert.Contains($"WRN] {dropped} log lines were not written to the console", text, StringComparison.Ordinal);
        Assert.Contains("] line 0\n", text, StringComparison.Ordinal); // the oldest lines are kept, the newest dropped
    }

    private static ILoggerFactory Factory(Stream output, out ConsoleLogProcessor processor, string meterName = "Glassbox.Gateway.Tests.Logging")
    {
#pragma warning disable CA2000 // Owned and disposed by the logger provider.
        var meter = new Meter(meterName);
        var console = new ConsoleLogProcessor(meter, output);
#pragma warning restore CA2000
        processor = console;
        return LoggerFactory.Create(builder => builder.AddOpenTelemetry(options =>
        {
            options.IncludeFormattedMessage = true;
            options.AddProcessor(console);
        }));
    }

    /// <summary>Standard output that blocks every write until released (a pipe nobody reads).</summary>
    private sealed class StalledStream : Stream
    {
        private readonly ManualResetEventSlim _released = new();

        public MemoryStream Written { get; } = new();

        public void Release() => _released.Set();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Written.Length;
        public override long Position { get => Written.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _released.Wait();
            lock (Written)
            {
                Written.Write(buffer, offset, count);
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _released.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
