using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using OpenTelemetry.Metrics;
using static Glassbox.Gateway.Telemetry.TelemetryNames;

namespace Glassbox.Gateway.Tests.Infrastructure.Audit;

/// <summary>
/// What the gateways of a test run emitted — span texts, metric tag values, log lines, the error bodies their
/// clients received — and the secrets their clients and settings held, for <see cref="TelemetryAudit"/>.
/// <see cref="Suite"/> is fed by every <see cref="GatewayHarness"/> and <see cref="GatewayProcess"/> of the
/// test process when it is disposed; <c>Telemetry/SuiteSecretsAuditTests</c> checks it after every other test.
/// </summary>
internal sealed class TelemetryRecord
{
    /// <summary>The attributes that hold prompt and completion text when content capture is on.</summary>
    public static readonly string[] ContentAttributes = [GenAI.InputMessages, GenAI.OutputMessages];

    /// <summary>Shorter values are not treated as secrets: they would match unrelated text.</summary>
    private const int MinimumSecretLength = 10;

    private readonly ConcurrentDictionary<EmittedText, byte> _spanTexts = new();
    private readonly ConcurrentDictionary<EmittedText, byte> _contentTexts = new();
    private readonly ConcurrentDictionary<EmittedText, byte> _metricTexts = new();
    private readonly ConcurrentQueue<EmittedText> _logLines = new();
    private readonly ConcurrentQueue<EmittedText> _errorBodies = new();
    private readonly ConcurrentQueue<EmittedText> _contentWithCaptureOff = new();
    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(ActivityTraceId, ActivitySpanId), byte> _spansSeen = new();
    private readonly ConditionalWeakTable<ActivitySource, GatewayFacts> _gatewaysBySource = new();
    private int _gateways;
    private int _captureOnGateways;

    public static TelemetryRecord Suite { get; } = new();

    public int Gateways => _gateways;
    public int CaptureOnGateways => _captureOnGateways;
    public int Spans => _spansSeen.Count;
    public int SpanTexts => _spanTexts.Count;
    public int MetricTexts => _metricTexts.Count;
    public int LogLines => _logLines.Count;
    public int ErrorBodies => _errorBodies.Count;
    public IReadOnlyCollection<string> Secrets => (IReadOnlyCollection<string>)_secrets.Keys;

    /// <summary>Content attributes' texts of capture-on (or unknown) gateways' spans: the one place prompt text may be.</summary>
    public IEnumerable<EmittedText> ContentTexts => _contentTexts.Keys;

    /// <summary>Content attributes on spans of gateways whose content capture was off: each one is a leak.</summary>
    public IEnumerable<EmittedText> ContentWithCaptureOff => _contentWithCaptureOff;

    /// <summary>Everything else: the rest of the spans, metrics, logs and error bodies.</summary>
    public IEnumerable<EmittedText> AllOtherTexts => _spanTexts.Keys.Concat(_metricTexts.Keys).Concat(_logLines).Concat(_errorBodies);

    /// <summary>A gateway and whether it captures content; its spans are known by its own <see cref="ActivitySource"/>.</summary>
    public void AddGateway(ActivitySource? source, bool captureContent)
    {
        Interlocked.Increment(ref _gateways);
        if (captureContent)
        {
            Interlocked.Increment(ref _captureOnGateways);
        }

        if (source is not null)
        {
            _gatewaysBySource.AddOrUpdate(source, new GatewayFacts(captureContent));
        }
    }

    /// <summary>True for a setting that holds a key: <c>…:ApiKey</c>, <c>…__ApiKey</c>, <c>…:Key</c>, <c>…Secret</c>.</summary>
    public static bool NamesASecret(string setting) =>
        setting.EndsWith("Key", StringComparison.OrdinalIgnoreCase) || setting.EndsWith("Secret", StringComparison.OrdinalIgnoreCase);

    public void AddSecret(string? value)
    {
        if (value is { Length: >= MinimumSecretLength })
        {
            _secrets.TryAdd(value, 0);
        }
    }

    /// <summary>
    /// Spans as an exporter got them. Listeners are process-wide, so one span can arrive through several gateways'
    /// collectors: each is recorded once. A content attribute is content only on a capture-on gateway's span; on a
    /// capture-off gateway's span it is recorded as an ordinary text, where any prompt in it is a leak.
    /// </summary>
    public void AddSpans(IEnumerable<Activity> spans)
    {
        foreach (var span in spans)
        {
            if (!_spansSeen.TryAdd((span.TraceId, span.SpanId), 0))
            {
                continue;
            }

            // Unknown source (a gateway built outside the harness): its content attributes count as content.
            var known = _gatewaysBySource.TryGetValue(span.Source, out var gateway);
            foreach (var text in TelemetryTexts.OfSpan(span))
            {
                if (!ContentAttributes.Any(a => text.Where.EndsWith(" attribute " + a, StringComparison.Ordinal)))
                {
                    _spanTexts.TryAdd(text, 0);
                }
                else if (known && !gateway!.CaptureContent)
                {
                    _contentWithCaptureOff.Enqueue(text);
                }
                else
                {
                    _contentTexts.TryAdd(text, 0);
                }
            }
        }
    }

    public void AddMetrics(IEnumerable<Metric> metrics)
    {
        foreach (var text in TelemetryTexts.OfMetrics(metrics))
        {
            _metricTexts.TryAdd(text, 0);
        }
    }

    public void AddLogLines(string gateway, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            _logLines.Enqueue(new($"log line of {gateway}", line));
        }
    }

    public void AddErrorBody(string where, string body) => _errorBodies.Enqueue(new(where, body));

    private sealed record GatewayFacts(bool CaptureContent);
}
