using System.Diagnostics;
using Glassbox.SimulatedUpstream;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// A simulated upstream and a gateway pointed at it, both on real loopback sockets, with the
/// gateway's spans, metrics and log lines captured in memory.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    private readonly WebApplication _simulator;
    private readonly WebApplication _gateway;
    private readonly MeterProvider? _meterProvider;

    private GatewayHarness(WebApplication simulator, Uri simulatorUri, WebApplication gateway, Uri gatewayUri, SpanCollector spans, List<Metric> metrics, CapturingLoggerProvider logs)
    {
        _simulator = simulator;
        _gateway = gateway;
        SimulatorUri = simulatorUri;
        GatewayUri = gatewayUri;
        Spans = spans;
        Metrics = metrics;
        Logs = logs;
        _meterProvider = gateway.Services.GetService<MeterProvider>();
    }

    public Uri SimulatorUri { get; }
    public Uri GatewayUri { get; }

    /// <summary>Every span exported by any gateway in this process (listeners are process-wide): filter by model or trace id.</summary>
    public SpanCollector Spans { get; }
    public List<Metric> Metrics { get; }
    public CapturingLoggerProvider Logs { get; }
    public IServiceProvider GatewayServices => _gateway.Services;
    public IServiceProvider SimulatorServices => _simulator.Services;

    public static async Task<GatewayHarness> StartAsync(
        IDictionary<string, string?>? gatewaySettings = null,
        IDictionary<string, string?>? simulatorSettings = null,
        Uri? upstreamOverride = null)
    {
        var simulator = SimulatorApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.ClearProviders();
            if (simulatorSettings is not null)
            {
                builder.Configuration.AddInMemoryCollection(simulatorSettings);
            }
        });
        var simulatorUri = await LoopbackApp.StartAsync(simulator);
        var upstream = (upstreamOverride ?? simulatorUri).ToString().TrimEnd('/');

        var spans = new SpanCollector();
        var metrics = new List<Metric>();
        var logs = new CapturingLoggerProvider();
        var settings = new Dictionary<string, string?>
        {
            ["Glassbox:Upstreams:Anthropic:BaseUrl"] = upstream,
            ["Glassbox:Upstreams:OpenAI:BaseUrl"] = upstream,
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Glassbox"] = "Information",
        };
        foreach (var (key, value) in gatewaySettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        // GatewayApp decides whether to export OTLP before `configure` runs, so OTEL_* settings go on the command line too.
        string[] args = ["--urls", "http://127.0.0.1:0", .. settings
            .Where(s => s.Key.StartsWith("OTEL_", StringComparison.Ordinal) && s.Value is not null)
            .Select(s => $"--{s.Key}={s.Value}")];
        var gateway = GatewayApp.Build(args, builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.AddProvider(logs);
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(spans));
            builder.Services.ConfigureOpenTelemetryMeterProvider(meter => meter.AddInMemoryExporter(metrics));
        });
        var gatewayUri = await LoopbackApp.StartAsync(gateway);
        return new GatewayHarness(simulator, simulatorUri, gateway, gatewayUri, spans, metrics, logs);
    }

    /// <summary>A client whose dispose really closes sockets and that never drains a body.</summary>
    public HttpClient CreateClient(TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler { MaxResponseDrainSize = 0, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = GatewayUri,
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };

    /// <summary>The call span ("chat {model}") for a model name unique to the test, once it has ended.</summary>
    public async Task<Activity> WaitForCallSpanAsync(string model, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var span = Spans.Ended.LastOrDefault(s => s.Source.Name == "Glassbox.Gateway" && Equals(s.GetTagItem("gen_ai.request.model"), model));
            if (span is not null)
            {
                return span;
            }

            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException($"No call span for model '{model}' was exported.");
            }

            await Task.Delay(20);
        }
    }

    public IReadOnlyList<Activity> SpansOfTrace(ActivityTraceId traceId)
    {
        return Spans.Ended.Where(s => s.TraceId == traceId).ToList();
    }

    /// <summary>Collects metrics now and returns the points of one instrument for one model.</summary>
    public IReadOnlyList<MetricPoint> MetricPoints(string instrument, string model)
    {
        _meterProvider?.ForceFlush();
        var points = new List<MetricPoint>();
        lock (Metrics)
        {
            foreach (var metric in Metrics.Where(m => m.Name == instrument))
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    foreach (var tag in point.Tags)
                    {
                        if (tag.Key == "gen_ai.request.model" && Equals(tag.Value, model))
                        {
                            points.Add(point);
                            break;
                        }
                    }
                }
            }
        }

        return points;
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.StopAsync();
        await _gateway.DisposeAsync();
        await _simulator.StopAsync();
        await _simulator.DisposeAsync();
    }
}
