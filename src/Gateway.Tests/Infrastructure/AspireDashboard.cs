using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// The standalone Aspire dashboard as a real OTLP backend for end-to-end telemetry tests, run as a
/// local process (no Docker). The executable comes from the NuGet package Aspire.Dashboard.Sdk.linux-x64,
/// downloaded at restore time by a PackageDownload in Gateway.Tests.csproj; its path is baked into the
/// test assembly as <c>AssemblyMetadata("AspireDashboardPath")</c> (override: env ASPIRE_DASHBOARD_PATH).
/// </summary>
/// <remarks>
/// <para>The query API (<c>/api/telemetry/…</c>, unsecured here) answers in the OTLP/JSON shape, wrapped:</para>
/// <code>
/// GET /api/telemetry/traces?resource=NAME&amp;limit=N   (also /traces/{traceId} and /spans)
/// { "data": { "resourceSpans": [ {
///       "resource": { "attributes": [ { "key": "service.name", "value": { "stringValue": "NAME" } }, … ] },
///       "scopeSpans": [ { "scope": { "name": "…" },
///         "spans": [ { "traceId": "32 hex", "spanId": "16 hex", "parentSpanId": "16 hex"?, "name": "…",
///                      "kind": 1, "startTimeUnixNano": "…", "endTimeUnixNano": "…",
///                      "attributes": [ { "key": "…", "value": { "stringValue": "…" } } ], "status": {…}? } ] } ] } ] },
///   "totalCount": 1, "returnedCount": 1 }
/// GET /api/telemetry/logs   → { "data": { "resourceLogs": [ { "resource", "scopeLogs": [ { "logRecords": [ … ] } ] } ] }, … }
/// </code>
/// <para>An unknown <c>resource</c> or trace id is a 404 with body <c>{}</c>; the helpers below turn that into
/// the empty shape, so polling code need not special-case it. Numbers such as <c>kind</c> are OTLP enum values
/// (1 internal, 2 server, 3 client, 4 producer, 5 consumer); times are strings of nanoseconds.</para>
/// </remarks>
public sealed class AspireDashboard : IAsyncDisposable
{
    private const string PathOverrideVariable = "ASPIRE_DASHBOARD_PATH";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly HttpClient _http;
    private readonly EventHandler _killOnExit;
    private int _disposed;

    private AspireDashboard(Process process, StringBuilder output, Uri baseAddress, Uri otlpGrpc, Uri otlpHttp)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
        OtlpGrpcEndpoint = otlpGrpc;
        OtlpHttpEndpoint = otlpHttp;
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        _killOnExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += _killOnExit;
    }

    /// <summary>The dashboard UI and query API, e.g. http://127.0.0.1:PORT/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>OTLP over gRPC, for an exporter with <c>OtlpExportProtocol.Grpc</c>.</summary>
    public Uri OtlpGrpcEndpoint { get; }

    /// <summary>OTLP over HTTP (protobuf or JSON), base address of <c>/v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>.</summary>
    public Uri OtlpHttpEndpoint { get; }

    /// <summary>The dashboard's stdout and stderr so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The dashboard executable: $ASPIRE_DASHBOARD_PATH, else the path the build baked into this assembly.</summary>
    public static string ExecutablePath
    {
        get
        {
            var overridden = Environment.GetEnvironmentVariable(PathOverrideVariable);
            if (!string.IsNullOrEmpty(overridden))
            {
                return overridden;
            }

            return typeof(AspireDashboard).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "AspireDashboardPath")?.Value
                ?? throw new InvalidOperationException("The test assembly carries no AspireDashboardPath metadata; see Gateway.Tests.csproj.");
        }
    }

    /// <summary>Starts the dashboard on free loopback ports and waits (≤ 30 s) until its API and both OTLP ports answer.</summary>
    public static async Task<AspireDashboard> StartAsync(CancellationToken cancellationToken = default)
    {
        var path = ExecutablePath;
        EnsureExecutable(path);

        // Free ports are found by binding port 0 and letting go, so another process may take one in between:
        // a dashboard that dies at startup is retried on new ports.
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var dashboard = Launch(path);
            try
            {
                await dashboard.WaitUntilReadyAsync(cancellationToken);
                return dashboard;
            }
            catch (Exception) when (attempt < attempts && dashboard._process.HasExited && !cancellationToken.IsCancellationRequested)
            {
                await dashboard.DisposeAsync();
            }
            catch
            {
                await dashboard.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Traces, optionally of one resource (its service name); <paramref name="limit"/> caps the count.</summary>
    public Task<JsonDocument> GetTracesAsync(string? resource = null, int? limit = null, CancellationToken cancellationToken = default) =>
        GetAsync("api/telemetry/traces", resource, limit, "resourceSpans", cancellationToken);

    /// <summary>One trace by its 32-hex-digit id (the empty shape if unknown).</summary>
    public Task<JsonDocument> GetTraceAsync(string traceId, CancellationToken cancellationToken = default) =>
        GetAsync($"api/telemetry/traces/{Uri.EscapeDataString(traceId)}", null, null, "resourceSpans", cancellationToken);

    /// <summary>Spans, optionally of one resource.</summary>
    public Task<JsonDocument> GetSpansAsync(string? resource = null, int? limit = null, CancellationToken cancellationToken = default) =>
        GetAsync("api/telemetry/spans", resource, limit, "resourceSpans", cancellationToken);

    /// <summary>Log records, optionally of one resource.</summary>
    public Task<JsonDocument> GetLogsAsync(string? resource = null, int? limit = null, CancellationToken cancellationToken = default) =>
        GetAsync("api/telemetry/logs", resource, limit, "resourceLogs", cancellationToken);

    /// <summary>Every span in a traces/spans answer: data.resourceSpans[].scopeSpans[].spans[].</summary>
    public static IEnumerable<JsonElement> Spans(JsonDocument document) =>
        Flatten(document, "resourceSpans", "scopeSpans", "spans");

    /// <summary>Every log record in a logs answer: data.resourceLogs[].scopeLogs[].logRecords[].</summary>
    public static IEnumerable<JsonElement> LogRecords(JsonDocument document) =>
        Flatten(document, "resourceLogs", "scopeLogs", "logRecords");

    /// <summary>An OTLP attribute's value as text (string, int, double or bool), or null if absent.</summary>
    public static string? Attribute(JsonElement owner, string key)
    {
        if (!owner.TryGetProperty("attributes", out var attributes))
        {
            return null;
        }

        foreach (var attribute in attributes.EnumerateArray())
        {
            if (attribute.GetProperty("key").GetString() == key && attribute.TryGetProperty("value", out var value))
            {
                foreach (var typed in value.EnumerateObject())
                {
                    return typed.Value.ValueKind == JsonValueKind.String ? typed.Value.GetString() : typed.Value.GetRawText();
                }
            }
        }

        return null;
    }

    /// <summary>Polls the traces API until a span matches; returns a copy of it, or fails with what was seen.</summary>
    public async Task<JsonElement> WaitForSpanAsync(
        Func<JsonElement, bool> predicate, string? resource = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.StartNew();
        var budget = timeout ?? TimeSpan.FromSeconds(20);
        var lastSeen = "{}";
        while (true)
        {
            using (var traces = await GetTracesAsync(resource, cancellationToken: cancellationToken))
            {
                foreach (var span in Spans(traces))
                {
                    if (predicate(span))
                    {
                        return span.Clone();
                    }
                }

                lastSeen = traces.RootElement.GetRawText();
            }

            if (deadline.Elapsed > budget)
            {
                throw new TimeoutException(
                    $"No matching span within {budget.TotalSeconds:0} s (resource: {resource ?? "any"}). Last answer: {lastSeen}\nDashboard output:\n{Output}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _killOnExit;
        _http.Dispose();
        Kill();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed but slow to go; nothing more to do.
        }

        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static AspireDashboard Launch(string path)
    {
        int ui = FreePort(), grpc = FreePort(), http = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{ui}/");
        var otlpGrpc = new Uri($"http://127.0.0.1:{grpc}");
        var otlpHttp = new Uri($"http://127.0.0.1:{http}");

        var startInfo = new ProcessStartInfo(path)
        {
            WorkingDirectory = Path.GetDirectoryName(path)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        var env = startInfo.Environment;
        // Keep the test host's own ASP.NET Core settings from leaking into the dashboard.
        foreach (var key in env.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                                              || k.StartsWith("DOTNET_DASHBOARD", StringComparison.OrdinalIgnoreCase)
                                              || k.StartsWith("DASHBOARD__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            env.Remove(key);
        }

        env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ui}";
        env["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = otlpGrpc.ToString().TrimEnd('/');
        env["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = otlpHttp.ToString().TrimEnd('/');
        env["DASHBOARD__FRONTEND__AUTHMODE"] = "Unsecured";
        env["DASHBOARD__OTLP__AUTHMODE"] = "Unsecured";
        env["DASHBOARD__API__AUTHMODE"] = "Unsecured";

        var output = new StringBuilder();
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start the Aspire dashboard at {path}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new AspireDashboard(process, output, baseAddress, otlpGrpc, otlpHttp);

        static void Append(StringBuilder output, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string? lastProblem = null;
        while (clock.Elapsed < StartupTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The Aspire dashboard exited during startup with code {_process.ExitCode}.\nOutput:\n{Output}");
            }

            try
            {
                using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, probe.Token);
                using var response = await _http.GetAsync(new Uri("api/telemetry/traces?limit=1", UriKind.Relative), linked.Token);
                if (response.IsSuccessStatusCode
                    && await AcceptsAsync(OtlpGrpcEndpoint, linked.Token)
                    && await AcceptsAsync(OtlpHttpEndpoint, linked.Token))
                {
                    return;
                }

                lastProblem = $"API answered {(int)response.StatusCode} or an OTLP port is not yet listening";
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                lastProblem = ex.Message;
            }

            await Task.Delay(150, cancellationToken);
        }

        throw new TimeoutException(
            $"The Aspire dashboard did not answer within {StartupTimeout.TotalSeconds:0} s ({lastProblem}).\nOutput:\n{Output}");
    }

    private static async Task<bool> AcceptsAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task<JsonDocument> GetAsync(
        string path, string? resource, int? limit, string emptyCollection, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (resource is not null)
        {
            query.Add("resource=" + Uri.EscapeDataString(resource));
        }

        if (limit is not null)
        {
            query.Add("limit=" + limit.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var uri = new Uri(query.Count == 0 ? path : path + "?" + string.Join('&', query), UriKind.Relative);
        using var response = await _http.GetAsync(uri, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // Unknown resource or trace: the API says 404 "{}"; callers get the empty shape instead.
            return JsonDocument.Parse($$"""{"data":{"{{emptyCollection}}":[]},"totalCount":0,"returnedCount":0}""");
        }

        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException(
                $"GET {uri} answered {(int)response.StatusCode}: {body}\nDashboard output:\n{Output}", null, response.StatusCode);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
    }

    private static IEnumerable<JsonElement> Flatten(JsonDocument document, string resources, string scopes, string items)
    {
        if (!document.RootElement.TryGetProperty("data", out var data) || !data.TryGetProperty(resources, out var resourceArray))
        {
            yield break;
        }

        foreach (var resource in resourceArray.EnumerateArray())
        {
            if (!resource.TryGetProperty(scopes, out var scopeArray))
            {
                continue;
            }

            foreach (var scope in scopeArray.EnumerateArray())
            {
                if (!scope.TryGetProperty(items, out var itemArray))
                {
                    continue;
                }

                foreach (var item in itemArray.EnumerateArray())
                {
                    yield return item;
                }
            }
        }
    }

    private static void EnsureExecutable(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The Aspire dashboard executable is missing at {path}. It comes from the NuGet package Aspire.Dashboard.Sdk.linux-x64 " +
                $"(PackageDownload in Gateway.Tests.csproj): run 'dotnet restore', or set {PathOverrideVariable}.", path);
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // NuGet extraction may drop the executable bit.
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | execute);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
