using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Glassbox.Demo;

/// <summary>
/// The Aspire dashboard's query API (<c>/api/telemetry/…</c>, unsecured here), for the demo's <c>--smoke</c>
/// check and for end-to-end tests.
/// </summary>
/// <remarks>
/// <para>It answers in the OTLP/JSON shape, wrapped:</para>
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
/// <para>An unknown <c>resource</c> or trace id is a 404 with body <c>{}</c>; the methods below turn that into
/// the empty shape, so polling code need not special-case it. Numbers such as <c>kind</c> are OTLP enum values
/// (1 internal, 2 server, 3 client, 4 producer, 5 consumer); times are strings of nanoseconds.</para>
/// </remarks>
internal sealed class DashboardApi : IDisposable
{
    private readonly HttpClient _http;
    private readonly Func<string> _diagnostics;

    /// <param name="baseAddress">The dashboard UI address, e.g. http://127.0.0.1:18888/.</param>
    /// <param name="diagnostics">Extra text for failure messages (the dashboard's output).</param>
    public DashboardApi(Uri baseAddress, Func<string>? diagnostics = null)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        _diagnostics = diagnostics ?? (() => "");
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

    /// <summary>Polls until one of the items <paramref name="select"/> finds in a query's answer matches; returns a copy, or fails with what was seen.</summary>
    public async Task<JsonElement> WaitForAsync(
        Func<CancellationToken, Task<JsonDocument>> query,
        Func<JsonDocument, IEnumerable<JsonElement>> select,
        Func<JsonElement, bool> predicate,
        string what,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var budget = timeout ?? TimeSpan.FromSeconds(20);
        while (true)
        {
            string lastSeen;
            using (var answer = await query(cancellationToken))
            {
                foreach (var item in select(answer))
                {
                    if (predicate(item))
                    {
                        return item.Clone();
                    }
                }

                lastSeen = answer.RootElement.GetRawText();
            }

            if (clock.Elapsed > budget)
            {
                throw new TimeoutException(
                    $"No {what} within {budget.TotalSeconds:0} s. Last answer: {lastSeen}\nDashboard output:\n{_diagnostics()}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>Polls the traces API until a span matches.</summary>
    public Task<JsonElement> WaitForSpanAsync(
        Func<JsonElement, bool> predicate, string? resource = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForAsync(ct => GetTracesAsync(resource, cancellationToken: ct), Spans, predicate,
            $"matching span (resource: {resource ?? "any"})", timeout, cancellationToken);

    /// <summary>Polls one trace until a span of it matches.</summary>
    public Task<JsonElement> WaitForTraceSpanAsync(
        string traceId, Func<JsonElement, bool> predicate, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForAsync(ct => GetTraceAsync(traceId, ct), Spans, predicate, $"matching span in trace {traceId}", timeout, cancellationToken);

    public void Dispose() => _http.Dispose();

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
            query.Add("limit=" + limit.Value.ToString(CultureInfo.InvariantCulture));
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
                $"GET {uri} answered {(int)response.StatusCode}: {body}\nDashboard output:\n{_diagnostics()}", null, response.StatusCode);
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
}
