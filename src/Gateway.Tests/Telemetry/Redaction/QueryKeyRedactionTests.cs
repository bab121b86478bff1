using System.Diagnostics;
using Glassbox.Gateway.Telemetry.Redaction;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;

namespace Glassbox.Gateway.Tests.Telemetry.Redaction;

public sealed class QueryKeyRedactionTests
{
    [Theory]
    [InlineData("https://host/v1beta/models/m:generateContent?key=AIza123", "https://host/v1beta/models/m:generateContent?key=Redacted")]
    [InlineData("?alt=sse&key=AIza123", "?alt=sse&key=Redacted")]
    [InlineData("key=AIza123&alt=sse", "key=Redacted&alt=sse")]
    [InlineData("/p?KEY=AIza123#frag", "/p?KEY=Redacted#frag")]
    [InlineData("?key=a&x=1&key=b", "?key=Redacted&x=1&key=Redacted")]
    [InlineData("Request starting POST http://gw/v1/messages?key=AIza123 - application/json", "Request starting POST http://gw/v1/messages?key=Redacted - application/json")]
    [InlineData("?a==b&kEy=AIza123", "?a==b&kEy=Redacted")]
    [InlineData("?x=key=1&key=AIza123", "?x=key=1&key=Redacted")]
    [InlineData("&KeY=AIza123", "&KeY=Redacted")]
    public void Redact_KeyParameter_ValueReplacedOthersKept(string text, string expected) =>
        Assert.Equal(expected, QueryKeyRedaction.Redact(text));

    [Theory]
    [InlineData("?monkey=banana")]
    [InlineData("?apikey=kept-this-is-another-parameter")]
    [InlineData("?key=")]
    [InlineData("?key=Redacted")]
    [InlineData("no query at all")]
    public void Redact_NoKeyValue_SameInstance(string text) =>
        Assert.Same(text, QueryKeyRedaction.Redact(text));

    [Theory]
    [InlineData("ke=y=1")]
    [InlineData("k=ey=1")]
    [InlineData("=key")]
    [InlineData("key")]
    [InlineData("\u212Aey=1")] // the Kelvin sign is not K under ordinal ignore-case
    public void MayHoldKey_NoKeyMarker_False(string text) =>
        Assert.False(QueryKeyRedaction.MayHoldKey(text));

    /// <summary>The fast marker search finds exactly what a case-insensitive substring search finds.</summary>
    [Fact]
    public void MayHoldKey_GeneratedTexts_AgreesWithCaseInsensitiveContains()
    {
        const string alphabet = "kKeEyY=&\u212A";
        var random = new Random(20261202);
        var found = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 24)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var expected = text.Contains("key=", StringComparison.OrdinalIgnoreCase);
            found += expected ? 1 : 0;
            Assert.True(expected == QueryKeyRedaction.MayHoldKey(text), $"MayHoldKey(\"{text}\") should be {expected}");
        }

        Assert.InRange(found, 100, 19_900); // both answers were exercised
    }

    [Fact]
    public void OnEnd_SpanWithKeyInUrlAttributes_RedactedOtherAttributesUntouched()
    {
        using var source = new ActivitySource("redaction-test-" + Guid.NewGuid().ToString("N"));
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var span = source.StartActivity("POST")!;
        span.SetTag("url.full", "https://upstream/v1beta/models/m:streamGenerateContent?alt=sse&key=AIza-secret");
        span.SetTag("url.query", "alt=sse&key=AIza-secret");
        span.SetTag("gen_ai.request.model", "gemini-2.5-flash");
        span.SetTag("http.response.status_code", 200);
        span.Stop();

        new QueryKeyRedactingProcessor().OnEnd(span);

        Assert.Equal("https://upstream/v1beta/models/m:streamGenerateContent?alt=sse&key=Redacted", span.GetTagItem("url.full"));
        Assert.Equal("alt=sse&key=Redacted", span.GetTagItem("url.query"));
        Assert.Equal("gemini-2.5-flash", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public void OnEnd_LogRecordWithKeyInStringAndUriValues_MessageAndAttributesHoldNoKey()
    {
        var captured = new Infrastructure.CapturingLoggerProvider();
        using (var factory = LoggerFactory.Create(builder => builder.AddOpenTelemetry(options =>
        {
            options.IncludeFormattedMessage = true;
            options.AddProcessor(new QueryKeyRedactingLogProcessor());
            options.AddProcessor(captured);
        })))
        {
            factory.CreateLogger("Microsoft.AspNetCore.Hosting").LogInformation("Request starting {Path}{QueryString} to {Target} for {Model}",
                "/v1beta/models/m:generateContent", "?key=AIza-secret&alt=sse", new Uri("https://upstream/x?key=AIza-secret"), "gemini-2.5-flash");
        }

        var line = Assert.Single(captured.Lines);
        Assert.DoesNotContain("AIza-secret", line, StringComparison.Ordinal);
        Assert.Contains("Request starting /v1beta/models/m:generateContent?key=Redacted&alt=sse to https://upstream/x?key=Redacted for gemini-2.5-flash", line, StringComparison.Ordinal);
        Assert.Contains("QueryString=?key=Redacted&alt=sse", line, StringComparison.Ordinal);
        Assert.Contains("Target=https://upstream/x?key=Redacted", line, StringComparison.Ordinal);
        Assert.Contains("Model=gemini-2.5-flash", line, StringComparison.Ordinal);
    }
}
