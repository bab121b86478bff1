using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Glassbox.Gateway.Logging;

/// <summary>
/// Writes every log record to standard output as one line, <c>[HH:mm:ss LVL] message</c> (the exception, if any,
/// on the lines after), off the request path. It sits in the OpenTelemetry log pipeline next to the OTLP exporter,
/// so a line is rendered once (the record's formatted message) for both. A call only copies four references into a
/// bounded queue; one thread writes. When the console cannot keep up and the queue is full, new lines are dropped,
/// counted in <c>glassbox.logs.dropped</c>, and a warning saying how many is written once the queue has room again.
/// </summary>
internal sealed class ConsoleLogProcessor : BaseProcessor<LogRecord>
{
    /// <summary>Lines waiting for the console; about a second of output at full speed.</summary>
    public const int QueueCapacity = 16_384;

    private static readonly string[] LevelNames = ["VRB", "DBG", "INF", "WRN", "ERR", "FTL", "OFF"];

    private readonly Channel<ConsoleLine> _queue = Channel.CreateBounded<ConsoleLine>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once: the line is dropped and counted, never waited for
        SingleReader = true,
    });

    private readonly Counter<long> _dropped;
    private readonly Stream _output;
    private readonly Thread _writer;
    private long _enqueued;
    private long _written;
    private long _droppedSinceNotice;

    public ConsoleLogProcessor(Meter meter, Stream output)
    {
        _dropped = meter.CreateCounter<long>(Telemetry.TelemetryNames.Own.MetricLogsDropped, "{line}",
            "Log lines not written to the console because its queue was full (the OTLP log records are unaffected).");
        _output = output;
        _writer = new Thread(WriteLines) { IsBackground = true, Name = "Glassbox console log" };
        _writer.Start();
    }

    public override void OnEnd(LogRecord data)
    {
        var line = new ConsoleLine(data.Timestamp, data.LogLevel, data.FormattedMessage ?? data.Body ?? "", data.Exception);
        if (_queue.Writer.TryWrite(line))
        {
            Interlocked.Increment(ref _enqueued);
        }
        else
        {
            Interlocked.Increment(ref _droppedSinceNotice);
            _dropped.Add(1);
        }
    }

    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        var target = Interlocked.Read(ref _enqueued);
        var deadline = Environment.TickCount64 + (timeoutMilliseconds < 0 ? int.MaxValue : timeoutMilliseconds);
        while (Interlocked.Read(ref _written) < target)
        {
            if (Environment.TickCount64 > deadline || !_writer.IsAlive)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        _queue.Writer.TryComplete();
        return _writer.Join(timeoutMilliseconds < 0 ? Timeout.Infinite : timeoutMilliseconds);
    }

    private void WriteLines()
    {
        using var writer = new StreamWriter(_output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024) { AutoFlush = false };
        var reader = _queue.Reader;
        try
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out var line))
                {
                    Write(writer, line);
                    Interlocked.Increment(ref _written);
                }

                var dropped = Interlocked.Exchange(ref _droppedSinceNotice, 0);
                if (dropped > 0)
                {
                    Write(writer, new ConsoleLine(DateTime.UtcNow, Microsoft.Extensions.Logging.LogLevel.Warning,
                        string.Create(CultureInfo.InvariantCulture, $"{dropped} log lines were not written to the console: it could not keep up (glassbox.logs.dropped)"), null));
                }

                writer.Flush();
            }
        }
        catch (IOException)
        {
            // Standard output closed (the reading end went away): nothing more can be written.
        }
    }

    private static void Write(StreamWriter writer, in ConsoleLine line)
    {
        Span<char> time = stackalloc char[8];
        line.Timestamp.ToLocalTime().TryFormat(time, out _, "HH:mm:ss", CultureInfo.InvariantCulture);
        writer.Write('[');
        writer.Write(time);
        writer.Write(' ');
        writer.Write(LevelNames[Math.Clamp((int)line.Level, 0, LevelNames.Length - 1)]);
        writer.Write("] ");
        writer.Write(line.Message);
        writer.Write('\n');
        if (line.Exception is not null)
        {
            writer.Write(line.Exception.ToString());
            writer.Write('\n');
        }
    }

    private readonly record struct ConsoleLine(DateTime Timestamp, Microsoft.Extensions.Logging.LogLevel Level, string Message, Exception? Exception);
}
