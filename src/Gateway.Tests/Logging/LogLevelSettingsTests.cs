using Glassbox.Gateway.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Tests.Logging;

/// <summary>The Serilog:MinimumLevel keys set the log levels, with Serilog's level names; a bad level stops start-up naming the key.</summary>
public sealed class LogLevelSettingsTests
{
    [Fact]
    public void Configure_DefaultAndOverride_CategoryUnderTheOverrideLogsItsLevel()
    {
        using var services = Services(new()
        {
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Glassbox.Gateway"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Yarp"] = "Fatal",
        });
        var factory = services.GetRequiredService<ILoggerFactory>();

        Assert.True(factory.CreateLogger("Glassbox.Gateway.Telemetry.CallTelemetry").IsEnabled(LogLevel.Trace));
        Assert.False(factory.CreateLogger("Microsoft.AspNetCore.Hosting").IsEnabled(LogLevel.Information));
        Assert.True(factory.CreateLogger("Microsoft.AspNetCore.Hosting").IsEnabled(LogLevel.Warning));
        Assert.False(factory.CreateLogger("Yarp.ReverseProxy.Forwarder").IsEnabled(LogLevel.Error));
        Assert.True(factory.CreateLogger("Yarp.ReverseProxy.Forwarder").IsEnabled(LogLevel.Critical));
    }

    [Fact]
    public void Configure_UnknownLevel_FailsNamingTheKey()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
        {
            using var services = Services(new() { ["Serilog:MinimumLevel:Override:Glassbox"] = "Loud" });
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Glassbox").IsEnabled(LogLevel.Information);
        });

        Assert.Contains("Serilog:MinimumLevel:Override:Glassbox 'Loud'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnknownDefaultLevel_FailsNamingTheKey()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = GatewayApp.Build(["--urls", "http://127.0.0.1:0"], settings: new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Chatty" });
            await app.StartAsync();
            await app.StopAsync();
        });

        Assert.Contains("Serilog:MinimumLevel:Default 'Chatty'", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(new EveryLevelProvider()));
        services.AddSingleton<IConfigureOptions<LoggerFilterOptions>>(new LogLevelSettings(configuration));
        return services.BuildServiceProvider();
    }

    /// <summary>A provider that would take every level: what IsEnabled then says is the filter rules alone.</summary>
    private sealed class EveryLevelProvider : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }

        public void Dispose()
        {
        }
    }
}
