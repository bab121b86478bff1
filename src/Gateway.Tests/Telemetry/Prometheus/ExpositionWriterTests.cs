using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.RegularExpressions;
using Glassbox.Gateway.Telemetry;
using Glassbox.Gateway.Telemetry.Prometheus;
using Glassbox.Gateway.Tests.Infrastructure;
using OpenTelemetry.Metrics;

namespace Glassbox.Gateway.Tests.Telemetry.Prometheus;

/// <summary>
/// The gateway renders scrapes itself (one reader for the scrape and OTLP). Its output must be what the OpenTelemetry
/// Prometheus exporter serves for the same measurements, which the dashboards, alert rules and users' queries were
/// written against: both read one meter in one provider here, and the two texts are compared line for line.
/// </summary>
public sealed partial class ExpositionWriterTests
{
    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "application/openmetrics-text; version=1.0.0; charset=utf-8")]
    public async Task Scrape_EveryInstrumentKind_SameTextAsTheOpenTelemetryPrometheusExporter(bool openMetrics, string? accept)
    {
        var format = openMetrics ? ExpositionFormat.OpenMetrics : ExpositionFormat.PrometheusText;
        var meterName = "Glassbox.Tests.Exposition." + Guid.NewGuid().ToString("N");
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(meterName).SetExemplarFilter(ExemplarFilterType.TraceBased).AddPrometheusExporter();
            MetricReaders.Add(metrics, builder.Services, builder.Configuration, scrape: true, otlp: false);
        });
        await using var app = builder.Build();
        app.UseOpenTelemetryPrometheusScrapingEndpoint("/reference");
        var address = await LoopbackApp.StartAsync(app);

        using (var meter = new Meter(meterName, "1.2.3"))
        {
            Record(meter);
        }

        using var client = new HttpClient { BaseAddress = address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "reference");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await client.SendAsync(request);
        var reference = await response.Content.ReadAsStringAsync();
        var ours = (await app.Services.GetRequiredService<ScrapeCollector>().ScrapeTextAsync(format))!;

        Assert.Contains("test_requests_total", reference, StringComparison.Ordinal); // the reference saw the measurements at all
        Assert.Equal(ExpositionFormats.ContentType(format), response.Content.Headers.ContentType?.ToString());
        Assert.Equal(Normalise(reference).Split('\n'), Normalise(ours).Split('\n'));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("text/plain; version=0.0.4", false)]
    [InlineData("application/openmetrics-text; version=1.0.0; charset=utf-8", true)]
    [InlineData("application/openmetrics-text;version=1.0.0;q=0.5,text/plain;q=0.4", true)]
    [InlineData("application/openmetrics-text; q=0", false)]
    [InlineData(";;;,,,=", false)]
    public void Negotiate_AcceptHeader_PicksTheFormat(string? accept, bool openMetrics) =>
        Assert.Equal(openMetrics ? ExpositionFormat.OpenMetrics : ExpositionFormat.PrometheusText, ExpositionFormats.Negotiate(accept is null ? null : [accept]));

    /// <summary>Every instrument kind and unit the translation rules treat differently, hostile label values included, some inside a sampled span (exemplars).</summary>
    private static void Record(Meter meter)
    {
        using var source = new ActivitySource(meter.Name);
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == meter.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        var requests = meter.CreateCounter<long>("test.requests", "{request}", "Requests.\nWith a \\ and a \"quote\".");
        var cost = meter.CreateCounter<double>("test.cost", "USD", "Cost.");
        var widgets = meter.CreateCounter<long>("test.widgets_total", null, "Already ends in total.");
        var active = meter.CreateUpDownCounter<long>("test.active", "{connection}", "Active.");
        var queue = meter.CreateGauge<long>("test.queue", "1");
        var duration = meter.CreateHistogram("test.duration", "s", "Duration.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00001, 0.005, 1, 10, 2_000_000] });
        var tokens = meter.CreateHistogram<long>("test.tokens", "{token}", "Tokens.", advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 262144, 1048576, 67108864] });
        var rate = meter.CreateHistogram<double>("test.output_rate", "{token}/s", "Rate.");
        var offsets = meter.CreateHistogram("test.offset", "ms", "Negative bounds.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [-5, 0, 5] });
        var memory = meter.CreateUpDownCounter<double>("test.memory", "By", "Memory.");
        meter.CreateObservableGauge("test.temperature", () => new Measurement<double>(21.5, new KeyValuePair<string, object?>("room", "lab")), "Cel", "Temperature.");

        requests.Add(3, new("http.route", "/v1/messages"), new("model", "a\"b\\c\nd é ✓"), new("1st-try", true), new("status-code", 429), new("ratio", 0.5));
        requests.Add(1, new("http.route", "/v1/chat"), new("weird.key-with:colon", "x"));
        cost.Add(0.0125, new KeyValuePair<string, object?>("upstream", "Anthropic"));
        widgets.Add(2);
        active.Add(5);
        active.Add(-2);
        queue.Record(7, new KeyValuePair<string, object?>("kind", "requests"));
        memory.Add(1_048_576.5);
        rate.Record(42.25);
        offsets.Record(-1);
        offsets.Record(3);
        using (source.StartActivity("sampled"))
        {
            duration.Record(0.0042, new KeyValuePair<string, object?>("model", "claude"));
            duration.Record(3.5, new KeyValuePair<string, object?>("model", "claude"));
            tokens.Record(300_000, new KeyValuePair<string, object?>("gen_ai.token.type", "input"));
            requests.Add(1, new KeyValuePair<string, object?>("http.route", "/sampled"));
            cost.Add(1.5, new KeyValuePair<string, object?>("upstream", "OpenAI"));
        }

        duration.Record(double.PositiveInfinity, new KeyValuePair<string, object?>("model", "inf"));
    }

    /// <summary>Each reader aggregates on its own: the times it started a series and took an exemplar differ by microseconds.</summary>
    private static string Normalise(string scrape) =>
        ExemplarTimestamp().Replace(CreatedValue().Replace(scrape, "$1 T"), "$1 T");

    [GeneratedRegex(@"(_created\{[^\n]*\}) [0-9.e+]+")]
    private static partial Regex CreatedValue();

    [GeneratedRegex(@"( # \{[^\n]*\} [^ \n]+) [0-9.e+]+")]
    private static partial Regex ExemplarTimestamp();
}
