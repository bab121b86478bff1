using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Glassbox.Gateway.Tests.Telemetry;

/// <summary>Each gateway's log lines reach its own providers (the OTLP log exporter among them), whatever other gateways in the process do.</summary>
public sealed class LogRoutingTests
{
    [Fact]
    public async Task Stop_AnOlderGatewayInTheSameProcess_NewerGatewaysLogProvidersKeepWorking()
    {
        var olderProvider = new TrackingProvider();
        var newerProvider = new TrackingProvider();
        var older = await StartAsync(olderProvider);
        await using var newer = await StartAsync(newerProvider);

        await older.StopAsync();
        await older.DisposeAsync();
        newer.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Glassbox.Test").LogWarning("still logging {Marker}", "newer-7e1");

        Assert.True(olderProvider.Disposed);
        Assert.False(newerProvider.Disposed, "stopping one gateway disposed another gateway's log providers");
        Assert.Contains(newerProvider.Lines, line => line.Contains("newer-7e1", StringComparison.Ordinal));
        Assert.DoesNotContain(olderProvider.Lines, line => line.Contains("newer-7e1", StringComparison.Ordinal));
    }

    private static async Task<WebApplication> StartAsync(TrackingProvider provider)
    {
        var app = GatewayApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Warning" });
            // Owned by the gateway's container, as the OpenTelemetry provider is: disposed with the gateway.
            builder.Services.AddSingleton<ILoggerProvider>(_ => provider);
        });
        await app.StartAsync();
        return app;
    }

    /// <summary>Records lines and whether it was disposed (a disposed OpenTelemetry provider exports nothing more).</summary>
    private sealed class TrackingProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();
        public bool Disposed { get; private set; }

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() => Disposed = true;

        private sealed class Logger(TrackingProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Enqueue(formatter(state, exception));
        }
    }
}
