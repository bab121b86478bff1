using System.Diagnostics.Metrics;
using Glassbox.Gateway.Telemetry;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Pricing;

/// <summary>
/// Loads <c>Glassbox:Prices:File</c> at start and again whenever its size or modification time changes (checked every
/// <c>FileCheckInterval</c>; polling also sees a Kubernetes ConfigMap's symlink swap). A missing, unreadable or
/// malformed file keeps the prices in use, logs one error naming the file and the problem, and counts
/// <c>glassbox.price_file.errors</c>; the same file state is not reported twice.
/// </summary>
internal sealed class PriceFileReloader : IHostedService, IDisposable
{
    private readonly PriceTable _table;
    private readonly PricingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PriceFileReloader> _logger;
    private readonly Counter<long> _errors;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private FileVersion? _seen;

    public PriceFileReloader(PriceTable table, IOptions<PricingOptions> options, TimeProvider time, GatewayInstrumentation instrumentation, ILogger<PriceFileReloader> logger)
    {
        _table = table;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _errors = instrumentation.Meter.CreateCounter<long>(TelemetryNames.Own.MetricPriceFileErrors, "{error}",
            "Price file loads that failed (missing, unreadable or malformed file); the previous prices stay in use.");
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.File is not null)
        {
            CheckNow();
            _timer = _time.CreateTimer(static state => ((PriceFileReloader)state!).CheckNow(), this, _options.FileCheckInterval, _options.FileCheckInterval);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary>Loads the file if it changed since the last check.</summary>
    public void CheckNow()
    {
        var path = _options.File!;
        lock (_gate)
        {
            var version = FileVersion.Of(path);
            if (version == _seen)
            {
                return;
            }

            _seen = version;
            if (version.Missing)
            {
                Reject(path, "missing", "the file does not exist");
                return;
            }

            byte[] json;
            try
            {
                json = File.ReadAllBytes(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                _seen = null; // a file being replaced may read fine on the next check
                Reject(path, "unreadable", "it could not be read: " + exception.Message);
                return;
            }

            Dictionary<string, ModelPrice> prices;
            try
            {
                prices = LiteLlmPriceFile.Parse(json);
            }
            catch (FormatException exception)
            {
                Reject(path, "malformed", "it is " + exception.Message);
                return;
            }

            _table.UseFilePrices(prices);
            PricingLog.FileLoaded(_logger, path, prices.Count);
        }
    }

    private void Reject(string path, string kind, string problem)
    {
        _errors.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Common.ErrorType, kind));
        PricingLog.FileRejected(_logger, path, problem);
    }

    private readonly record struct FileVersion(bool Missing, long Length, DateTime LastWriteUtc)
    {
        public static FileVersion Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileVersion(false, info.Length, info.LastWriteTimeUtc) : new FileVersion(true, 0, default);
        }
    }
}
