using System.Diagnostics.Metrics;
using Glassbox.Gateway.Pricing;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.Telemetry;
using Glassbox.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Glassbox.Gateway.Tests.Pricing;

/// <summary>The price file is loaded at start and whenever it changes; a bad file never costs the prices in use.</summary>
public sealed class PriceFileReloaderTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly string _folder = Directory.CreateTempSubdirectory("glassbox-prices-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly MeterListener _meters = new();
    private readonly List<string> _errors = [];

    public PriceFileReloaderTests()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == TelemetryNames.Own.MetricPriceFileErrors)
                listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (_errors)
                _errors.Add((string)tags.ToArray().Single(t => t.Key == TelemetryNames.Common.ErrorType).Value!);
        });
        _meters.Start();
    }

    private string PriceFile => Path.Combine(_folder, "prices.json");

    private static string Entry(string model, double inputPerToken) =>
        $$$"""{"{{{model}}}": {"input_cost_per_token": {{{inputPerToken.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}, "output_cost_per_token": 0, "mode": "chat"}}""";

    private (PriceTable Table, PriceFileReloader Reloader) Start(Dictionary<string, ModelPrice>? configured = null)
    {
        var options = new PricingOptions { File = PriceFile, FileCheckInterval = Interval };
        foreach (var (model, price) in configured ?? [])
            options.Prices[model] = price;
        var table = new PriceTable(Options.Create(options));
        var instrumentation = new GatewayInstrumentation(_services.GetRequiredService<IMeterFactory>());
        var reloader = new PriceFileReloader(table, Options.Create(options), _time, instrumentation, new LoggerFactory([_logs]).CreateLogger<PriceFileReloader>());
        reloader.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return (table, reloader);
    }

    private static decimal? InputPriceOf(PriceTable table, string model) =>
        table.Estimate(model, new ResponseFacts { InputTokens = 1_000_000, OutputTokens = 0 }, inputIncludesCache: true)?.Usd;

    private void Rewrite(string json)
    {
        File.WriteAllText(PriceFile, json);
        // Make the change visible even on a file system with coarse modification times.
        File.SetLastWriteTimeUtc(PriceFile, File.GetLastWriteTimeUtc(PriceFile).AddSeconds(5));
    }

    [Fact]
    public void StartAsync_FileWithANewModel_PricedFromTheFileAtOnce()
    {
        File.WriteAllText(PriceFile, Entry("acme-large", 4e-06));

        var (table, reloader) = Start();
        using (reloader)
        {
            Assert.Equal(4m, InputPriceOf(table, "acme-large-2026"));
            Assert.Contains(_logs.Lines, l => l.Contains("Price file", StringComparison.Ordinal) && l.Contains("loaded: 1 model prices", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void CheckInterval_FileChanged_NewPricesAfterTheNextCheck()
    {
        File.WriteAllText(PriceFile, Entry("acme-large", 4e-06));
        var (table, reloader) = Start();
        using (reloader)
        {
            Rewrite(Entry("acme-large", 8e-06));
            Assert.Equal(4m, InputPriceOf(table, "acme-large"));

            _time.Advance(Interval);

            Assert.Equal(8m, InputPriceOf(table, "acme-large"));
        }
    }

    [Fact]
    public void CheckInterval_FileBecomesMalformed_KeepsLastGoodPricesLogsOnceAndCounts()
    {
        File.WriteAllText(PriceFile, Entry("acme-large", 4e-06));
        var (table, reloader) = Start();
        using (reloader)
        {
            Rewrite("{\"acme-large\": {\"input_cost_per_token\": ");
            _time.Advance(Interval);
            _time.Advance(Interval);

            Assert.Equal(4m, InputPriceOf(table, "acme-large"));
            var error = Assert.Single(_logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
            Assert.Contains(PriceFile, error, StringComparison.Ordinal);
            Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
            Assert.Equal(["malformed"], _errors);
        }
    }

    [Fact]
    public void StartAsync_FileMissing_BuiltInPricesStayAndTheFileIsPickedUpWhenItAppears()
    {
        var (table, reloader) = Start();
        using (reloader)
        {
            _time.Advance(Interval);
            Assert.Equal(1.25m, InputPriceOf(table, "gpt-5"));
            Assert.Equal(["missing"], _errors);
            Assert.Contains(_logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("does not exist", StringComparison.Ordinal));

            File.WriteAllText(PriceFile, Entry("gpt-5", 1e-06));
            _time.Advance(Interval);

            Assert.Equal(1m, InputPriceOf(table, "gpt-5"));
        }
    }

    [Fact]
    public void StartAsync_ConfiguredEntry_WinsOverTheFile()
    {
        File.WriteAllText(PriceFile, Entry("acme-large", 4e-06));

        var (table, reloader) = Start(new() { ["acme-large"] = new ModelPrice { Input = 2 } });
        using (reloader)
        {
            Assert.Equal(2m, InputPriceOf(table, "acme-large"));
        }
    }

    public void Dispose()
    {
        _meters.Dispose();
        _services.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
