using System.Collections.Frozen;
using Glassbox.Gateway.Configuration;
using Glassbox.Gateway.Telemetry;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Glassbox.Gateway.Resilience;

/// <summary>
/// One Polly pipeline per upstream: retry outside, circuit breaker inside (so every attempt counts).
/// It wraps the whole YARP exchange, not YARP's HttpClient: the request body is buffered above it.
/// </summary>
internal sealed class UpstreamPipelines
{
    public static readonly ResiliencePropertyKey<AttemptTracker> TrackerKey = new("glassbox.attempts");

    private readonly FrozenDictionary<string, ResiliencePipeline<AttemptOutcome>> _pipelines;

    public UpstreamPipelines(IOptions<GlassboxOptions> options, TimeProvider time, ILoggerFactory loggerFactory, GatewayInstrumentation instrumentation)
    {
        var logger = loggerFactory.CreateLogger<UpstreamPipelines>();
        _pipelines = options.Value.Upstreams.ToFrozenDictionary(
            pair => pair.Key,
            pair => Build(pair.Key, pair.Value, time, logger, instrumentation),
            StringComparer.OrdinalIgnoreCase);
    }

    public ResiliencePipeline<AttemptOutcome> For(string upstream) => _pipelines[upstream];

    private static ResiliencePipeline<AttemptOutcome> Build(string name, UpstreamOptions upstream, TimeProvider time, ILogger logger, GatewayInstrumentation instrumentation)
    {
        var builder = new ResiliencePipelineBuilder<AttemptOutcome> { Name = $"glassbox-{name}", TimeProvider = time };
        var retry = upstream.Retry;
        if (retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<AttemptOutcome>
            {
                MaxRetryAttempts = retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is null && args.Outcome.Result.Retryable),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result.RetryAfter is { } wait ? (TimeSpan?)(wait > retry.MaxDelay ? retry.MaxDelay : wait) : null),
                OnRetry = static args =>
                {
                    if (args.Context.Properties.TryGetValue(TrackerKey, out var tracker))
                    {
                        tracker.OnRetry(args.RetryDelay, args.Outcome.Result.Reason);
                    }

                    return default;
                },
            });
        }

        var breaker = upstream.CircuitBreaker;
        if (breaker.Enabled)
        {
            instrumentation.DeclareCircuit(name);
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<AttemptOutcome>
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is null && args.Outcome.Result.Failure),
                OnOpened = args =>
                {
                    ResilienceLog.CircuitOpened(logger, name, args.BreakDuration.TotalSeconds);
                    instrumentation.RecordCircuitTransition(name, "open");
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    ResilienceLog.CircuitHalfOpened(logger, name);
                    instrumentation.RecordCircuitTransition(name, "half_open");
                    return default;
                },
                OnClosed = _ =>
                {
                    ResilienceLog.CircuitClosed(logger, name);
                    instrumentation.RecordCircuitTransition(name, "closed");
                    return default;
                },
            });
        }

        // No Polly telemetry (ConfigureTelemetry): its per-execution metrics and logs cost on every call,
        // and the gateway's attempt spans, glassbox.retries and circuit logs already say what happened.
        return builder.Build();
    }
}
