using System.Text.Json;
using Glassbox.Demo;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// The standalone Aspire dashboard as a real OTLP backend for end-to-end telemetry tests, run as a local
/// process (no Docker) on free loopback ports. Launching lives in one place, the demo's
/// <see cref="AspireDashboardProcess"/> (executable from the NuGet package Aspire.Dashboard.Sdk.linux-x64,
/// PackageDownload in src/Demo/Demo.csproj; override: env ASPIRE_DASHBOARD_PATH), and querying in
/// <see cref="DashboardApi"/>, whose remarks describe the answers' OTLP/JSON shape. This class only adapts both for tests.
/// </summary>
public sealed class AspireDashboard : IAsyncDisposable
{
    private readonly AspireDashboardProcess _process;

    private AspireDashboard(AspireDashboardProcess process) => _process = process;

    /// <summary>The dashboard UI and query API, e.g. http://127.0.0.1:PORT/.</summary>
    public Uri BaseAddress => _process.BaseAddress;

    /// <summary>OTLP over gRPC, for an exporter with <c>OtlpExportProtocol.Grpc</c>.</summary>
    public Uri OtlpGrpcEndpoint => _process.OtlpGrpcEndpoint;

    /// <summary>OTLP over HTTP (protobuf or JSON), base address of <c>/v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>.</summary>
    public Uri OtlpHttpEndpoint => _process.OtlpHttpEndpoint;

    /// <summary>The dashboard's stdout and stderr so far, for failure messages.</summary>
    public string Output => _process.Output;

    /// <summary>The dashboard executable: $ASPIRE_DASHBOARD_PATH, else the path the build baked into Glassbox.Demo.</summary>
    public static string ExecutablePath => AspireDashboardProcess.ExecutablePath;

    /// <summary>Starts the dashboard on free loopback ports and waits (≤ 30 s) until its API and both OTLP ports answer.</summary>
    public static async Task<AspireDashboard> StartAsync(CancellationToken cancellationToken = default) =>
        new(await AspireDashboardProcess.StartAsync(DashboardPorts.Any, cancellationToken));

    /// <summary>Traces, optionally of one resource (its service name); <paramref name="limit"/> caps the count.</summary>
    public Task<JsonDocument> GetTracesAsync(string? resource = null, int? limit = null, CancellationToken cancellationToken = default) =>
        _process.Api.GetTracesAsync(resource, limit, cancellationToken);

    /// <summary>One trace by its 32-hex-digit id (the empty shape if unknown).</summary>
    public Task<JsonDocument> GetTraceAsync(string traceId, CancellationToken cancellationToken = default) =>
        _process.Api.GetTraceAsync(traceId, cancellationToken);

    /// <summary>Spans, optionally of one resource.</summary>
    public Task<JsonDocument> GetSpansAsync(string? resource = null, int? limit = null, CancellationToken cancellationToken = default) =>
        _process.Api.GetSpansAsync(resource, limit, cancellationToken);

    /// <summary>Log records, optionally of one resource.</summary>
    public Task<JsonDocument> GetLogsAsync(string? resource = null, int? limit = null, CancellationToken cancellationToken = default) =>
        _process.Api.GetLogsAsync(resource, limit, cancellationToken);

    /// <summary>Every span in a traces/spans answer: data.resourceSpans[].scopeSpans[].spans[].</summary>
    public static IEnumerable<JsonElement> Spans(JsonDocument document) => DashboardApi.Spans(document);

    /// <summary>Every log record in a logs answer: data.resourceLogs[].scopeLogs[].logRecords[].</summary>
    public static IEnumerable<JsonElement> LogRecords(JsonDocument document) => DashboardApi.LogRecords(document);

    /// <summary>An OTLP attribute's value as text (string, int, double or bool), or null if absent.</summary>
    public static string? Attribute(JsonElement owner, string key) => DashboardApi.Attribute(owner, key);

    /// <summary>Polls the traces API until a span matches; returns a copy of it, or fails with what was seen.</summary>
    public Task<JsonElement> WaitForSpanAsync(
        Func<JsonElement, bool> predicate, string? resource = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _process.Api.WaitForSpanAsync(predicate, resource, timeout, cancellationToken);

    /// <summary>Polls one trace until a span of it matches.</summary>
    public Task<JsonElement> WaitForTraceSpanAsync(
        string traceId, Func<JsonElement, bool> predicate, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _process.Api.WaitForTraceSpanAsync(traceId, predicate, timeout, cancellationToken);

    /// <summary>Polls the logs API (optionally of one resource) until a record matches.</summary>
    public Task<JsonElement> WaitForLogRecordAsync(
        Func<JsonElement, bool> predicate, string? resource = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _process.Api.WaitForAsync(ct => GetLogsAsync(resource, cancellationToken: ct), LogRecords, predicate,
            $"matching log record (resource: {resource ?? "any"})", timeout, cancellationToken);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
