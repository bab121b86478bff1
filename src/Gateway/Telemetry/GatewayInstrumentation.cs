using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Glassbox.Gateway.Telemetry;

/// <summary>The gateway's ActivitySource, Meter and instruments, created once.</summary>
internal sealed class GatewayInstrumentation : IDisposable
{
    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
    private static readonly double[] TokenRateBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
    private static readonly double[] OverheadBuckets = [0.00001, 0.00002, 0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1];

    private static readonly string[] CircuitStates = ["open", "half_open", "closed"];

    public GatewayInstrumentation(IMeterFactory meterFactory)
    {
        ActivitySource = new ActivitySource(TelemetryNames.ActivitySourceName, typeof(GatewayInstrumentation).Assembly.GetName().Version?.ToString());
        Meter = meterFactory.Create(TelemetryNames.MeterName);
        var meter = Meter;

        OperationDuration = meter.CreateHistogram(TelemetryNames.GenAI.MetricOperationDuration, "s",
            "GenAI operation duration.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        TokenUsage = meter.CreateHistogram(TelemetryNames.GenAI.MetricTokenUsage, "{token}",
            "Number of input and output tokens used.", tags: null, new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });
        TimeToFirstChunk = meter.CreateHistogram(TelemetryNames.GenAI.MetricTimeToFirstChunk, "s",
            "Time to receive the first chunk in a streaming operation.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        TimePerOutputChunk = meter.CreateHistogram(TelemetryNames.GenAI.MetricTimePerOutputChunk, "s",
            "Time between consecutive chunks after the first in a streaming operation.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        AbortedStreams = meter.CreateCounter<long>(TelemetryNames.Own.MetricAbortedStreams, "{stream}",
            "Streams that ended before their terminal event (upstream broke, client left, timeout).");
        Retries = meter.CreateCounter<long>(TelemetryNames.Own.MetricRetries, "{retry}",
            "Upstream attempts retried by the gateway, by upstream, model and reason.");
        DimensionOverflow = meter.CreateCounter<long>(TelemetryNames.Own.MetricDimensionOverflow, "{call}",
            "Calls whose value of a capped dimension was recorded as _other, by glassbox.metric.dimension.");
        ObserverFailures = meter.CreateCounter<long>(TelemetryNames.Own.MetricObserverFailures, "{call}",
            "Calls whose telemetry is incomplete because observing the body failed, by provider and glassbox.observer.failure.");
        AuthRejected = meter.CreateCounter<long>(TelemetryNames.Own.MetricAuthRejected, "{request}",
            "Requests refused for a missing or wrong gateway key, by upstream and reason.");
        CircuitTransitions = meter.CreateCounter<long>(TelemetryNames.Own.MetricCircuitTransitions, "{transition}",
            "Circuit-breaker state changes per upstream.");
        GatewayOverhead = meter.CreateHistogram(TelemetryNames.Own.MetricGatewayOverhead, "s",
            "Time the gateway itself added to a call: its work before forwarding and on each chunk, upstream time excluded.",
            tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = OverheadBuckets });
        Cost = meter.CreateCounter<double>(TelemetryNames.Own.MetricCost, "USD",
            "Estimated cost of calls from the price table.");
        Tokens = meter.CreateCounter<long>(TelemetryNames.Own.MetricTokens, "{token}",
            "Tokens reported by the upstream, by glassbox.token.type (input, output, cache_read, cache_creation, reasoning).");
        OutputTokenRate = meter.CreateHistogram(TelemetryNames.Own.MetricOutputTokenRate, "{token}/s",
            "Generation speed of a streamed call: output tokens / (last content delta - first content delta).",
            tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = TokenRateBuckets });
        SamplingKept = meter.CreateCounter<long>(TelemetryNames.Own.MetricSamplingKept, "{trace}",
            "Traces the head sampler dropped but the gateway exported because a call was interesting (error, retried, slow).");
        SamplingDropped = meter.CreateCounter<long>(TelemetryNames.Own.MetricSamplingDropped, "{span}",
            "Spans given up by the tail sampler's memory limits (pending traces, spans per trace).");
    }

    public ActivitySource ActivitySource { get; }
    public Meter Meter { get; }
    public Histogram<double> GatewayOverhead { get; }
    public Histogram<double> OperationDuration { get; }
    public Histogram<long> TokenUsage { get; }
    public Histogram<double> TimeToFirstChunk { get; }
    public Histogram<double> TimePerOutputChunk { get; }
    public Counter<long> AbortedStreams { get; }
    public Counter<double> Cost { get; }
    public Counter<long> Retries { get; }
    public Counter<long> CircuitTransitions { get; }
    public Counter<long> Tokens { get; }
    public Histogram<double> OutputTokenRate { get; }
    public Counter<long> AuthRejected { get; }
    public Counter<long> DimensionOverflow { get; }
    public Counter<long> ObserverFailures { get; }
    public Counter<long> SamplingKept { get; }
    public Counter<long> SamplingDropped { get; }

    public void RecordCircuitTransition(string upstream, string state) =>
        CircuitTransitions.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Own.Upstream, upstream), new KeyValuePair<string, object?>(TelemetryNames.Own.CircuitState, state));

    /// <summary>
    /// Starts the upstream's transition series at 0, so the first time its circuit opens is an increase a
    /// Prometheus rule can see (a counter series born at 1 shows no increase).
    /// </summary>
    public void DeclareCircuit(string upstream)
    {
        foreach (var state in CircuitStates)
        {
            CircuitTransitions.Add(0, new KeyValuePair<string, object?>(TelemetryNames.Own.Upstream, upstream), new KeyValuePair<string, object?>(TelemetryNames.Own.CircuitState, state));
        }
    }

    public void Dispose()
    {
        ActivitySource.Dispose();
        Meter.Dispose();
    }
}
