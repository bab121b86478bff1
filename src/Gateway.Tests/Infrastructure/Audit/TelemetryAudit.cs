namespace Glassbox.Gateway.Tests.Infrastructure.Audit;

/// <summary>How much a record must hold before its being clean means anything.</summary>
internal sealed record AuditMinimums(int Gateways, int CaptureOnGateways, int Spans, int LogLines, int MetricTexts, int ErrorBodies, int Secrets);

/// <summary>
/// The secrets rule over a <see cref="TelemetryRecord"/>: no API key, <c>Authorization</c> value, <c>x-goog-api-key</c> or
/// <c>?key=</c> value anywhere; no prompt or completion text anywhere but the content attributes of a gateway that
/// captures content; no content attribute at all on a gateway that does not. A record holding less than the
/// minimums fails too, so an audit that saw nothing cannot pass.
/// </summary>
internal static class TelemetryAudit
{
    /// <summary>The simulator's first three text deltas, in order: a completion as only a capture would hold it.</summary>
    public const string Completion = "word0 word1 word2";

    public static List<string> Problems(TelemetryRecord record, AuditMinimums minimums)
    {
        var problems = new List<string>();
        void AtLeast(string what, int seen, int minimum)
        {
            if (seen < minimum)
            {
                problems.Add($"the record holds {seen} {what}, fewer than {minimum}: it did not see the suite's gateways (run the whole suite)");
            }
        }

        AtLeast("gateways", record.Gateways, minimums.Gateways);
        AtLeast("gateways with content capture on", record.CaptureOnGateways, minimums.CaptureOnGateways);
        AtLeast("spans", record.Spans, minimums.Spans);
        AtLeast("log lines", record.LogLines, minimums.LogLines);
        AtLeast("metric tag values", record.MetricTexts, minimums.MetricTexts);
        AtLeast("error bodies", record.ErrorBodies, minimums.ErrorBodies);
        AtLeast("secrets sent or configured", record.Secrets.Count, minimums.Secrets);

        string[] keys = [.. record.Secrets, AiRequests.ApiKey];
        problems.AddRange(TelemetryTexts.Leaks(record.AllOtherTexts.Concat(record.ContentTexts), keys));
        problems.AddRange(TelemetryTexts.Leaks(record.AllOtherTexts, [AiRequests.Prompt, Completion]));
        problems.AddRange(record.ContentWithCaptureOff.Select(t => $"content attribute with capture off in {t.Where}: {t.Text}"));
        return problems;
    }
}
