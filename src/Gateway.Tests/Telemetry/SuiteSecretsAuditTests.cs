using Glassbox.Gateway.Tests.Infrastructure.Audit;
using Xunit.Abstractions;

namespace Glassbox.Gateway.Tests.Telemetry;

/// <summary>
/// After every other test: everything the suite's gateways emitted (every span their exporters got, every metric tag
/// value, every log line, every error body their harness clients received) holds no key any client sent or any
/// setting configured, no <c>?key=</c> value, and no prompt or completion text outside a capture-on gateway's content
/// attributes. Run alone it fails: the record is empty, and a clean empty record proves nothing.
/// </summary>
[Collection(SuiteAuditGroup.Name)]
public sealed class SuiteSecretsAuditTests(ITestOutputHelper output)
{
    /// <summary>Well under what the suite records (docs/faults.md, "Secrets"), well over what a handful of tests would.</summary>
    private static readonly AuditMinimums SuiteMinimums = new(Gateways: 100, CaptureOnGateways: 2, Spans: 2_000, LogLines: 1_000, MetricTexts: 500, ErrorBodies: 30, Secrets: 5);

    [Fact]
    public void SuiteGateways_EverythingEmitted_NoKeyAndNoPromptOutsideCapturedContent()
    {
        var record = TelemetryRecord.Suite;
        var problems = TelemetryAudit.Problems(record, SuiteMinimums);
        output.WriteLine($"audited: {record.Gateways} gateways ({record.CaptureOnGateways} capturing content), {record.Spans} spans ({record.SpanTexts} distinct texts), "
            + $"{record.MetricTexts} metric tag values, {record.LogLines} log lines, {record.ErrorBodies} error bodies, {record.Secrets.Count} secrets searched for");
        Assert.True(problems.Count == 0,
            $"{problems.Count} problems (gateways {record.Gateways}, capture on {record.CaptureOnGateways}, spans {record.Spans}, log lines {record.LogLines}, "
            + $"metric values {record.MetricTexts}, error bodies {record.ErrorBodies}, secrets {record.Secrets.Count}):\n" + string.Join("\n", problems.Take(40)));
    }
}
