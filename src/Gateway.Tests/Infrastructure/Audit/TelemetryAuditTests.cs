using System.Diagnostics;

namespace Glassbox.Gateway.Tests.Infrastructure.Audit;

/// <summary>The audit's own rules, on records built by hand: each leak kind is caught, and an empty record fails.</summary>
public sealed class TelemetryAuditTests : IDisposable
{
    private static readonly AuditMinimums One = new(1, 1, 1, 1, 0, 0, 1);
    // Not "Glassbox.Gateway": every gateway of the process listens to that name, and would export these planted leaks.
    private readonly ActivitySource _captureOn = new("Glassbox.Gateway.Tests.Audit.CaptureOn");
    private readonly ActivitySource _captureOff = new("Glassbox.Gateway.Tests.Audit.CaptureOff");
    private readonly ActivityListener _listener;

    public TelemetryAuditTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s == _captureOn || s == _captureOff,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public void Problems_EmptyRecord_FailsForHavingSeenNothing()
    {
        var problems = TelemetryAudit.Problems(new TelemetryRecord(), new AuditMinimums(1, 1, 1, 1, 1, 1, 1));

        Assert.Equal(7, problems.Count(p => p.Contains("fewer than", StringComparison.Ordinal)));
    }

    [Fact]
    public void Problems_CleanRecord_None()
    {
        var record = Record(new Dictionary<string, object>());

        Assert.Empty(TelemetryAudit.Problems(record, One));
    }

    [Fact]
    public void Problems_SentKeyInASpanAttribute_Reported()
    {
        var record = Record(new Dictionary<string, object> { ["glassbox.attribution.app"] = "prefix sk-client-secret-123 suffix" });

        Assert.Contains(TelemetryAudit.Problems(record, One), p => p.Contains("sk-client-secret-123", StringComparison.Ordinal) && p.Contains("glassbox.attribution.app", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_QueryKeyInALogLineAndAnErrorBody_BothReported()
    {
        var record = Record(new Dictionary<string, object>());
        record.AddSecret("AIzaSy-query-secret");
        record.AddLogLines("gw", ["Request starting POST /v1beta/models/m:generateContent?key=AIzaSy-query-secret"]);
        record.AddErrorBody("400 body", """{"error":{"message":"bad key AIzaSy-query-secret"}}""");

        var problems = TelemetryAudit.Problems(record, One);

        Assert.Contains(problems, p => p.Contains("in log line of gw", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("in 400 body", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_PromptInInputMessages_AllowedWithCaptureOnReportedWithCaptureOff()
    {
        var record = Record(new Dictionary<string, object> { ["gen_ai.input.messages"] = AiRequests.Prompt });
        Assert.Empty(TelemetryAudit.Problems(record, One));

        using (var span = _captureOff.StartActivity("chat m", ActivityKind.Client)!)
        {
            span.SetTag("gen_ai.input.messages", AiRequests.Prompt);
            span.Stop();
            record.AddSpans([span]);
        }

        Assert.Contains(TelemetryAudit.Problems(record, One), p => p.StartsWith("content attribute with capture off", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_PromptOrCompletionOutsideContentAttributes_Reported()
    {
        var record = Record(new Dictionary<string, object> { ["glassbox.route"] = AiRequests.Prompt });
        record.AddLogLines("gw", ["AI call … " + TelemetryAudit.Completion]);

        var problems = TelemetryAudit.Problems(record, One);

        Assert.Contains(problems, p => p.Contains("glassbox.route", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("in log line of gw", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handler_KeysInHeadersAndQueryAndAnErrorBody_Recorded()
    {
        var record = new TelemetryRecord();
        using var client = new HttpClient(new TelemetryRecordingHandler(record, new ErrorAnswer())) { BaseAddress = new Uri("http://127.0.0.1:9/") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1beta/models/m:generateContent?alt=sse&key=AIzaSy-from-the-query");
        request.Headers.Authorization = new("Bearer", "sk-bearer-secret-1");
        request.Headers.Add("x-goog-api-key", "AIzaSy-from-the-header");

        using var response = await client.SendAsync(request);

        Assert.Equal(["AIzaSy-from-the-header", "AIzaSy-from-the-query", "sk-bearer-secret-1"], record.Secrets.Order(StringComparer.Ordinal));
        Assert.Equal(1, record.ErrorBodies);
        Assert.Equal("""{"error":"nope"}""", await response.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        _listener.Dispose();
        _captureOn.Dispose();
        _captureOff.Dispose();
    }

    /// <summary>A record of one capture-on and one capture-off gateway, a sent key, a log line and a span of the capture-on gateway with these attributes.</summary>
    private TelemetryRecord Record(Dictionary<string, object> attributes)
    {
        var record = new TelemetryRecord();
        record.AddGateway(_captureOn, captureContent: true);
        record.AddGateway(_captureOff, captureContent: false);
        record.AddSecret("sk-client-secret-123");
        record.AddLogLines("gw", ["AI call /v1/messages → 200"]);
        using var span = _captureOn.StartActivity("chat m", ActivityKind.Client)!;
        foreach (var (key, value) in attributes)
        {
            span.SetTag(key, value);
        }

        span.Stop();
        record.AddSpans([span]);
        return record;
    }

    private sealed class ErrorAnswer : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.BadRequest)
            {
                Content = new StringContent("""{"error":"nope"}""", System.Text.Encoding.UTF8, "application/json"),
            });
    }
}
