using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Glassbox.Gateway;
using Glassbox.SimulatedUpstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace Glassbox.Demo;

/// <summary>
/// The demo, callable in-process: the Aspire dashboard, the simulated upstream and the gateway (exporting
/// OTLP to the dashboard), one streaming Anthropic call through the gateway, then either wait for
/// <c>stop</c> or, with <c>--smoke</c>, check that the call's trace reached the dashboard.
/// </summary>
internal static class DemoRunner
{
    public const string ServiceName = "glassbox-gateway";
    public const string SampleModel = "claude-sonnet-4-5";
    public const string DemoApiKey = "sk-demo";

    /// <summary>Simulator pacing that looks like a real model; <c>Simulator__*</c> environment variables override it.</summary>
    private static readonly Dictionary<string, string?> SimulatorDefaults = new()
    {
        ["Simulator:HeadersDelayMs"] = "150",
        ["Simulator:TimeToFirstTokenMs"] = "600",
        ["Simulator:DeltaGapMs"] = "40",
        ["Simulator:Deltas"] = "30",
        ["Simulator:InputTokens"] = "42",
    };

    private static string SampleBody(string model) =>
        $$"""{"model":"{{model}}","max_tokens":256,"stream":true,"messages":[{"role":"user","content":"Hello, Glassbox!"}]}""";

    /// <returns>The process exit code: 0 when stopped normally or the smoke check passed, 1 otherwise.</returns>
    public static async Task<int> RunAsync(DemoOptions options, TextWriter output, CancellationToken stop)
    {
        if (options.GatewayPort != 0 && !AspireDashboardProcess.IsPortFree(options.GatewayPort))
        {
            await output.WriteLineAsync($"Port {options.GatewayPort} on 127.0.0.1 is already in use; choose another with --gateway-port N.");
            return 1;
        }

        AspireDashboardProcess? dashboard = null;
        WebApplication? simulator = null;
        WebApplication? gateway = null;
        try
        {
            await output.WriteLineAsync("Starting the Aspire dashboard (trace viewer)…");
            dashboard = await AspireDashboardProcess.StartAsync(options.DashboardPorts, stop);
            NoteMovedPort(output, "dashboard", options.DashboardPorts.Ui, dashboard.Ports.Ui);
            NoteMovedPort(output, "OTLP/gRPC", options.DashboardPorts.OtlpGrpc, dashboard.Ports.OtlpGrpc);
            NoteMovedPort(output, "OTLP/HTTP", options.DashboardPorts.OtlpHttp, dashboard.Ports.OtlpHttp);

            var simulatorPort = options.SimulatorPort != 0 && AspireDashboardProcess.IsPortFree(options.SimulatorPort) ? options.SimulatorPort : 0;
            simulator = BuildSimulator(simulatorPort);
            var simulatorUri = await StartAsync(simulator);
            NoteMovedPort(output, "simulated upstream", options.SimulatorPort, simulatorUri.Port);

            gateway = BuildGateway(options.GatewayPort, simulatorUri, dashboard.OtlpGrpcEndpoint);
            var gatewayUri = await StartAsync(gateway);

            var sample = await SendSampleCallAsync(gatewayUri, stop);
            await PrintWhereToLookAsync(output, gatewayUri, simulatorUri, dashboard, sample);
            if (sample.TraceId is null || sample.Status != 200)
            {
                await output.WriteLineAsync(sample.TraceId is null
                    ? $"FAILED: the sample call answered {sample.Status} without a usable traceresponse header."
                    : $"FAILED: the sample call answered {sample.Status}; see its trace {sample.TraceId}.");
                return 1;
            }

            if (options.Smoke)
            {
                return await SmokeCheckAsync(output, gateway, dashboard, sample.TraceId, stop);
            }

            await output.WriteLineAsync("Press Ctrl+C to stop.");
            var dashboardExited = await WaitForStopAsync(dashboard, [gateway, simulator], stop);
            if (dashboardExited)
            {
                await output.WriteLineAsync($"The Aspire dashboard exited unexpectedly; stopping.\n{dashboard.Output}");
                return 1;
            }

            await output.WriteLineAsync("Stopping…");
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await output.WriteLineAsync("Stopped.");
            return 0;
        }
        catch (Exception ex)
        {
            await output.WriteLineAsync($"FAILED: {ex.Message}");
            return 1;
        }
        finally
        {
            await StopAsync(gateway);
            await StopAsync(simulator);
            if (dashboard is not null)
            {
                await dashboard.DisposeAsync();
            }
        }
    }

    private static WebApplication BuildSimulator(int port) =>
        SimulatorApp.Build(["--urls", $"http://127.0.0.1:{port}"], builder =>
        {
            // Lowest priority, so Simulator__* environment variables still win.
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = SimulatorDefaults });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton<IHostLifetime, DemoHostLifetime>();
        });

    private static WebApplication BuildGateway(int port, Uri simulatorUri, Uri otlpGrpcEndpoint)
    {
        var upstream = simulatorUri.ToString().TrimEnd('/');
        var settings = new Dictionary<string, string?>
        {
            ["Glassbox:Upstreams:Anthropic:BaseUrl"] = upstream,
            ["Glassbox:Upstreams:OpenAI:BaseUrl"] = upstream,
            ["Glassbox:Upstreams:Gemini:BaseUrl"] = upstream,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpGrpcEndpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["OTEL_SERVICE_NAME"] = ServiceName,
            // Short export intervals so the dashboard shows a call within a second or so.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "500",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "5000",
            ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Warning",
        };

        // As command-line arguments: they outrank stray OTEL_* or Glassbox__* variables in the environment.
        string[] args = ["--urls", $"http://127.0.0.1:{port}", .. settings.Select(s => $"--{s.Key}={s.Value}")];
        return GatewayApp.Build(args, builder =>
        {
            builder.Services.AddSingleton<IHostLifetime, DemoHostLifetime>();

            // ASP.NET Core instrumentation listens process-wide, so the gateway would also record the in-process
            // simulator's server spans (in production the upstream is another process): drop those.
            builder.Services.PostConfigure<AspNetCoreTraceInstrumentationOptions>(aspnet =>
            {
                var gatewayFilter = aspnet.Filter;
                aspnet.Filter = context => context.RequestServices.GetService<SimulatorStats>() is null && (gatewayFilter?.Invoke(context) ?? true);
            });

            // Log records carry the rendered message (not only the template), as the dashboard's log view expects.
            builder.Services.Configure<OpenTelemetryLoggerOptions>(logging => logging.IncludeFormattedMessage = true);

            // The gateway writes every line to the console itself; keep the default console provider from repeating it.
            foreach (var console in builder.Services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider)).ToList())
            {
                builder.Services.Remove(console);
            }
        });
    }

    private static async Task<Uri> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.TrimEnd('/') + "/");
    }

    private static async Task StopAsync(WebApplication? app)
    {
        if (app is null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await app.StopAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // Not started, or slow to stop: disposing is all that is left.
        }

        await app.DisposeAsync();
    }

    internal sealed record SampleCall(int Status, string? TraceId, int TextDeltas, TimeSpan Elapsed);

    /// <summary>One streaming Anthropic Messages call through the gateway, read to the end.</summary>
    private static async Task<SampleCall> SendSampleCallAsync(Uri gatewayUri, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = gatewayUri, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("v1/messages", UriKind.Relative))
        {
            Content = new StringContent(SampleBody(SampleModel), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("x-api-key", DemoApiKey);
        request.Headers.Add("anthropic-version", "2023-06-01");

        // The gateway's HttpClient instrumentation listens process-wide: without this, the demo's own client span
        // would become the root of the call's trace, under the gateway's service name. A real client is another process.
        using var notTraced = SuppressInstrumentationScope.Begin();
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var deltas = CountOccurrences(body, "\"text_delta\"");
        var traceId = response.Headers.TryGetValues("traceresponse", out var values) ? ParseTraceId(values.FirstOrDefault()) : null;
        return new SampleCall((int)response.StatusCode, traceId, deltas, clock.Elapsed);
    }

    /// <summary>The trace id of a W3C <c>traceresponse</c> header, <c>00-{32 hex}-{16 hex}-{2 hex}</c>.</summary>
    internal static string? ParseTraceId(string? traceResponse)
    {
        var parts = traceResponse?.Split('-');
        return parts is [_, { Length: 32 } traceId, { Length: 16 }, _] ? traceId : null;
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task PrintWhereToLookAsync(TextWriter output, Uri gatewayUri, Uri simulatorUri, AspireDashboardProcess dashboard, SampleCall sample)
    {
        var gateway = gatewayUri.ToString().TrimEnd('/');
        var viewer = dashboard.BaseAddress.ToString().TrimEnd('/');
        var curl = $"curl -N -i {gateway}/v1/messages -H 'x-api-key: {DemoApiKey}' -H 'anthropic-version: 2023-06-01' " +
                   $"-H 'content-type: application/json' -d '{SampleBody(SampleModel)}'";
        var text = new StringBuilder()
            .AppendLine()
            .AppendLine("Glassbox demo")
            .AppendLine(CultureInfo.InvariantCulture, $"  Gateway:        {gateway}   (point your client here)")
            .AppendLine(CultureInfo.InvariantCulture, $"                  export ANTHROPIC_BASE_URL={gateway}")
            .AppendLine(CultureInfo.InvariantCulture, $"                  export OPENAI_BASE_URL={gateway}/v1")
            .AppendLine(CultureInfo.InvariantCulture, $"                  new GoogleGenAI({{ httpOptions: {{ baseUrl: '{gateway}' }} }})   (Gemini SDKs)")
            .AppendLine(CultureInfo.InvariantCulture, $"  Upstream:       simulated Anthropic/OpenAI/Gemini API on {simulatorUri.ToString().TrimEnd('/')} (any API key works)")
            .AppendLine(CultureInfo.InvariantCulture, $"  Trace viewer:   {viewer}/traces   (Aspire dashboard; OTLP/gRPC {dashboard.OtlpGrpcEndpoint.ToString().TrimEnd('/')})")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture,
                $"  Sample call:    POST /v1/messages, streaming, model {SampleModel} → {sample.Status}, {sample.TextDeltas} text deltas in {sample.Elapsed.TotalSeconds:0.0} s")
            .AppendLine(CultureInfo.InvariantCulture, $"  Its trace id:   {sample.TraceId ?? "(none)"}")
            .AppendLine(CultureInfo.InvariantCulture, $"  Its trace:      {viewer}/traces/detail/{sample.TraceId}")
            .AppendLine()
            .AppendLine("Try (the traceresponse header names the trace, 00-<trace id>-<span id>-01):")
            .AppendLine(CultureInfo.InvariantCulture, $"  {curl}")
            .AppendLine();
        await output.WriteAsync(text.ToString());
        await output.FlushAsync();
    }

    private static async Task<int> SmokeCheckAsync(TextWriter output, WebApplication gateway, AspireDashboardProcess dashboard, string traceId, CancellationToken stop)
    {
        gateway.Services.GetService<TracerProvider>()?.ForceFlush(10_000);
        var name = $"chat {SampleModel}";
        try
        {
            var span = await dashboard.Api.WaitForTraceSpanAsync(traceId, s => s.GetProperty("name").GetString() == name, TimeSpan.FromSeconds(20), stop);
            await output.WriteLineAsync(
                $"OK: span '{name}' of trace {traceId} is in the dashboard (gen_ai.usage.output_tokens = {DashboardApi.Attribute(span, "gen_ai.usage.output_tokens")}).");
            return 0;
        }
        catch (TimeoutException ex)
        {
            await output.WriteLineAsync($"FAILED: {ex.Message}");
            return 1;
        }
    }

    /// <returns>True if the dashboard went away on its own.</returns>
    private static async Task<bool> WaitForStopAsync(AspireDashboardProcess dashboard, WebApplication[] apps, CancellationToken stop)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStop = stop.Register(() => stopped.TrySetResult());
        var registrations = apps.Select(app => app.Lifetime.ApplicationStopping.Register(() => stopped.TrySetResult())).ToList();
        using var stopWatchingDashboard = new CancellationTokenSource();
        var dashboardExit = dashboard.WaitForExitAsync(stopWatchingDashboard.Token);
        try
        {
            var first = await Task.WhenAny(stopped.Task, dashboardExit);
            return first == dashboardExit && dashboardExit.IsCompletedSuccessfully;
        }
        finally
        {
            await stopWatchingDashboard.CancelAsync();
            foreach (var registration in registrations)
            {
                await registration.DisposeAsync();
            }
        }
    }

    private static void NoteMovedPort(TextWriter output, string what, int wanted, int actual)
    {
        if (wanted != 0 && wanted != actual)
        {
            output.WriteLine($"Port {wanted} ({what}) is busy; using {actual} instead.");
        }
    }

    /// <summary>The demo owns Ctrl+C and shutdown; the in-process hosts must not react to signals on their own.</summary>
    private sealed class DemoHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
