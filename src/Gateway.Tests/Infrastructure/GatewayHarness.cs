using System.Diagnostics;
using Glassbox.Gateway.Telemetry;
using Glassbox.Gateway.Telemetry.Sampling;
using Glassbox.Gateway.Tests.Infrastructure.Audit;
using Glassbox.SimulatedUpstream;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// A simulated upstream and a gateway pointed at it, both on real loopback sockets, with the
/// gateway's spans, metrics and log lines captured in memory. With <see cref="GatewayProcess.ExternalBinaryVariable"/>
/// set, the gateway is that published executable in its own process instead (settings passed as environment
/// variables); nothing is captured in memory then (<see cref="InProcess"/> is false): tests that read spans, metrics,
/// logs or services carry <see cref="InProcessOnly"/> or check <see cref="InProcess"/> first.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    /// <summary>Trait (name and value) of tests that need the in-process gateway; the run against the published binary leaves them out.</summary>
    public const string InProcessOnly = "InProcessOnly";

    private readonly WebApplication _simulator;
    private readonly WebApplication? _gateway;
    private readonly GatewayProcess? _process;
    private readonly MeterProvider? _meterProvider;

    private GatewayHarness(WebApplication simulator, Uri simulatorUri, WebApplication? gateway, GatewayProcess? process, Uri gatewayUri, SpanCollector spans, List<Metric> metrics, CapturingLoggerProvider logs)
    {
        _simulator = simulator;
        _gateway = gateway;
        _process = process;
        SimulatorUri = simulatorUri;
        GatewayUri = gatewayUri;
        Spans = spans;
        Metrics = metrics;
        Logs = logs;
        _meterProvider = gateway?.Services.GetService<MeterProvider>();
    }

    /// <summary>The gateway runs in this process: its spans, metrics, logs and services can be read.</summary>
    public bool InProcess => _gateway is not null;

    /// <summary>Stands for the simulator's base address in a gateway setting's value.</summary>
    public const string SimulatorPlaceholder = "{simulator}";

    public Uri SimulatorUri { get; }
    public Uri GatewayUri { get; }

    /// <summary>Every span exported by any gateway in this process (listeners are process-wide): filter by model or trace id.</summary>
    public SpanCollector Spans { get; }
    public List<Metric> Metrics { get; }
    public CapturingLoggerProvider Logs { get; }
    public IServiceProvider GatewayServices => Gateway.Services;

    /// <summary>What the published executable printed (empty for the in-process gateway, whose lines are in <see cref="Logs"/>).</summary>
    public string ProcessOutput => _process?.Output ?? "";

    private WebApplication Gateway => _gateway ?? throw new InvalidOperationException(
        $"This test reads the gateway's in-process state, which a gateway started from {GatewayProcess.ExternalBinaryVariable} does not have: give it [Trait(\"{InProcessOnly}\", \"true\")] or check InProcess.");
    public IServiceProvider SimulatorServices => _simulator.Services;

    public static async Task<GatewayHarness> StartAsync(
        IDictionary<string, string?>? gatewaySettings = null,
        IDictionary<string, string?>? simulatorSettings = null,
        Uri? upstreamOverride = null,
        bool httpsUpstream = false,
        bool exportSpans = true)
    {
        var simulator = SimulatorApp.Build(["--urls", httpsUpstream ? "https://127.0.0.1:0" : "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.ClearProviders();
            if (simulatorSettings is not null)
            {
                builder.Configuration.AddInMemoryCollection(simulatorSettings);
            }

            if (httpsUpstream)
            {
                builder.Configuration["Simulator:SelfSignedHttps"] = "true";
            }
        });
        var simulatorUri = await LoopbackApp.StartAsync(simulator);
        // Over HTTPS the gateway reaches the simulator by name, so that DNS is part of the call.
        var upstream = (upstreamOverride ?? (httpsUpstream ? new UriBuilder(simulatorUri) { Host = "localhost" }.Uri : simulatorUri)).ToString().TrimEnd('/');

        var spans = new SpanCollector();
        var metrics = new List<Metric>();
        var logs = new CapturingLoggerProvider();
        var settings = new Dictionary<string, string?>
        {
            ["Glassbox:Upstreams:Anthropic:BaseUrl"] = upstream,
            ["Glassbox:Upstreams:OpenAI:BaseUrl"] = upstream,
            ["Glassbox:Upstreams:Gemini:BaseUrl"] = upstream,
            ["Glassbox:Upstreams:Anthropic:TrustedCertificatePath"] = httpsUpstream ? ExportCertificate(simulator) : null,
            ["Glassbox:Upstreams:OpenAI:TrustedCertificatePath"] = httpsUpstream ? ExportCertificate(simulator) : null,
            ["Glassbox:Upstreams:Gemini:TrustedCertificatePath"] = httpsUpstream ? ExportCertificate(simulator) : null,
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Glassbox"] = "Information",
        };
        // "{simulator}" in a value stands for the simulator's address (known only once it listens), e.g. for extra upstreams.
        foreach (var (key, value) in gatewaySettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value?.Replace(SimulatorPlaceholder, upstream, StringComparison.Ordinal);
        }

        if (GatewayProcess.ExternalBinary is not null)
        {
            // As an operator passes settings to a container: environment variables, '__' for ':'.
            var environment = settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
            var process = await GatewayProcess.StartAsync(environment);
            return new GatewayHarness(simulator, simulatorUri, null, process, process.BaseAddress, spans, metrics, logs);
        }

        var gateway = GatewayApp.Build(["--urls", "http://127.0.0.1:0"], settings: settings, configure: builder =>
        {
            // In the gateway's log pipeline after the redaction, as the console and OTLP see each record.
            builder.Services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddProcessor(logs));
            // Behind the sampling filter, next to where the OTLP exporter would be: it sees what OTLP would export.
            if (exportSpans)
            {
                builder.Services.AddSampledTraceExporter(spans);
            }

            builder.Services.ConfigureOpenTelemetryMeterProvider(meter => meter.AddInMemoryExporter(metrics));
        });
        var gatewayUri = await LoopbackApp.StartAsync(gateway);
        TelemetryRecord.Suite.AddGateway(gateway.Services.GetRequiredService<GatewayInstrumentation>().ActivitySource,
            gateway.Services.GetRequiredService<CallTelemetry>().CaptureContent);
        foreach (var (key, value) in settings)
        {
            if (TelemetryRecord.NamesASecret(key))
            {
                TelemetryRecord.Suite.AddSecret(value);
            }
        }

        return new GatewayHarness(simulator, simulatorUri, gateway, null, gatewayUri, spans, metrics, logs);
    }

    /// <summary>Writes the simulator's self-signed certificate where the gateway can be told to trust it.</summary>
    private static string ExportCertificate(WebApplication simulator)
    {
        var certificate = simulator.Services.GetRequiredService<SimulatorCertificate>().Certificate!;
        var path = Path.Combine(Path.GetTempPath(), $"glassbox-sim-{certificate.Thumbprint}.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>A client whose dispose really closes sockets and that never drains a body.</summary>
    /// <param name="timeout">Per request.</param>
    /// <param name="maxConnections">Cap on connections to the gateway (1: every request waits for the previous one).</param>
    public HttpClient CreateClient(TimeSpan? timeout = null, int maxConnections = int.MaxValue) =>
        new(new TelemetryRecordingHandler(TelemetryRecord.Suite, new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            MaxResponseDrainSize = 0,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            // The test process listens to HttpClient activities too; a real caller would not add a second traceparent.
            ActivityHeadersPropagator = null,
        }))
        {
            BaseAddress = GatewayUri,
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };

    /// <summary>The call span ("chat {model}") for a model name unique to the test, once it has ended.</summary>
    public async Task<Activity> WaitForCallSpanAsync(string model, TimeSpan? timeout = null)
    {
        _ = Gateway;
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

    /// <summary>The call span of a response, found through its <c>traceresponse</c> header.</summary>
    public async Task<Activity> CallSpanOfAsync(HttpResponseMessage response)
    {
        _ = Gateway;
        var traceId = ActivityTraceId.CreateFromString(response.Headers.GetValues("traceresponse").Single().AsSpan(3, 32));
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var span = Spans.Ended.LastOrDefault(s => s.TraceId == traceId && s.Source.Name == "Glassbox.Gateway" && s.Kind == ActivityKind.Client);
            if (span is not null)
            {
                return span;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"No call span in trace {traceId} was exported.");
            }

            await Task.Delay(20);
        }
    }

    public IReadOnlyList<Activity> SpansOfTrace(ActivityTraceId traceId)
    {
        _ = Gateway;
        return Spans.Ended.Where(s => s.TraceId == traceId).ToList();
    }

    /// <summary>Collects metrics now and returns the points of one instrument for one model.</summary>
    public IReadOnlyList<MetricPoint> MetricPoints(string instrument, string model)
    {
        _ = Gateway;
        WaitForCallLogLine(model);
        _meterProvider?.ForceFlush();
        var points = new List<MetricPoint>();
        lock (Metrics)
        {
            // Cumulative export: the last exported instance holding the model's points has their whole state.
            // Other gateways in the process export same-named instruments too, so the very last one may not be ours.
            foreach (var metric in Metrics.Where(m => m.Name == instrument).Reverse())
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

                if (points.Count > 0)
                {
                    break;
                }
            }
        }

        return points;
    }

    /// <summary>
    /// A call's span ends before its metrics are recorded; its log line comes last. Waiting for that
    /// line (up to 5 s) keeps a metric read right after <see cref="WaitForCallSpanAsync"/> from racing the recording.
    /// </summary>
    private void WaitForCallLogLine(string model) => WaitForCallLogLines(model, 1);

    /// <summary>Waits (up to 5 s) until <paramref name="calls"/> calls of the model have logged their line, i.e. recorded their metrics.</summary>
    public void WaitForCallLogLines(string model, int calls)
    {
        var deadline = Stopwatch.StartNew();
        while (Logs.Lines.Count(line => line.Contains("[AiCall", StringComparison.Ordinal) && line.Contains(model, StringComparison.Ordinal)) < calls
            && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(10);
        }
    }

    /// <summary>Collects metrics now and sums the points of one counter (0 when none), optionally only those with one tag value.</summary>
    public long CounterTotal(string instrument, (string Key, string Value)? tag = null)
    {
        _ = Gateway;
        _meterProvider?.ForceFlush();
        lock (Metrics)
        {
            // Cumulative export: the last instance of the instrument holds its whole state.
            var last = Metrics.LastOrDefault(m => m.Name == instrument);
            long total = 0;
            if (last is not null)
            {
                foreach (ref readonly var point in last.GetMetricPoints())
                {
                    var matches = tag is null;
                    foreach (var pair in point.Tags)
                    {
                        matches |= tag is { } wanted && pair.Key == wanted.Key && Equals(pair.Value, wanted.Value);
                    }

                    if (matches)
                    {
                        total += point.GetSumLong();
                    }
                }
            }

            return total;
        }
    }

    /// <summary>The last exported value of a gauge for one upstream and kind, or null.</summary>
    public long? GaugeValue(string instrument, string upstream, string kind)
    {
        _ = Gateway;
        _meterProvider?.ForceFlush();
        lock (Metrics)
        {
            foreach (var metric in Metrics.Where(m => m.Name == instrument).TakeLast(1))
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    string? pointUpstream = null, pointKind = null;
                    foreach (var tag in point.Tags)
                    {
                        if (tag.Key == "glassbox.upstream") pointUpstream = tag.Value as string;
                        if (tag.Key == "glassbox.ratelimit.kind") pointKind = tag.Value as string;
                    }

                    if (pointUpstream == upstream && pointKind == kind)
                    {
                        return point.GetGaugeLastValueLong();
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Shuts the gateway down as SIGTERM would (the host's StopAsync: drain, flush).</summary>
    public async Task StopGatewayAsync()
    {
        if (_process is not null)
        {
            _process.Terminate();
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(60));
            return;
        }

        await Gateway.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.StopAsync();
            // Into the suite's record (Telemetry/SuiteSecretsAuditTests): metrics while the provider still holds them.
            _meterProvider?.ForceFlush();
            lock (Metrics)
            {
                TelemetryRecord.Suite.AddMetrics(Metrics);
            }

            TelemetryRecord.Suite.AddSpans(Spans.Ended);
            await _gateway.DisposeAsync();
            TelemetryRecord.Suite.AddLogLines($"the gateway at {GatewayUri}", Logs.Lines);
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
            TelemetryRecord.Suite.AddLogLines($"the gateway process at {GatewayUri}", _process.Lines);
        }

        await _simulator.StopAsync();
        await _simulator.DisposeAsync();
    }
}
