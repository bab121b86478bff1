using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// Keeps every formatted log line and its structured values, to search what the gateway logged: as a logging provider
/// (what a component logs), or as a processor in the gateway's OpenTelemetry log pipeline (what the console and the
/// OTLP exporter receive, redaction applied).
/// </summary>
internal sealed class CapturingLoggerProvider : BaseProcessor<LogRecord>, ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public override void OnEnd(LogRecord data)
    {
        var values = data.Attributes is { } pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : "";
        Lines.Enqueue($"{data.LogLevel} {data.CategoryName} [{data.EventId.Name}] {data.FormattedMessage} {values} {data.Exception}");
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner.Lines.Enqueue($"{logLevel} {category} [{eventId.Name}] {formatter(state, exception)} {values} {exception}");
        }
    }
}
