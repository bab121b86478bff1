using System.Diagnostics;
using Glassbox.Gateway.Calls;
using Glassbox.Gateway.Configuration;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Pricing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Glassbox.Gateway.Telemetry.TelemetryNames;

namespace Glassbox.Gateway.Telemetry;

/// <summary>Turns the facts of a call into its span, metrics and log line. Computes no facts itself.</summary>
internal sealed class CallTelemetry
{
    private readonly GatewayInstrumentation _instrumentation;
    private readonly PhaseSpans _phaseSpans;
    private readonly PriceTable _prices;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _semconv;
    private readonly bool _ai;
    private readonly bool _captureContent;
    private readonly int _maxContentChars;
    private readonly Cardinality.DimensionValueLimit _responseModels;
    private readonly Attribution.AttributionDimensions _attributionDimensions;

    public CallTelemetry(GatewayInstrumentation instrumentation, PhaseSpans phaseSpans, PriceTable prices, TimeProvider time, IOptions<GlassboxOptions> options,
        Cardinality.DimensionLimits dimensions, Attribution.AttributionDimensions attributionDimensions, ILogger<CallTelemetry> logger)
    {
        _attributionDimensions = attributionDimensions;
        _responseModels = dimensions.For(GenAI.ResponseModel);
        _phaseSpans = phaseSpans;
        _instrumentation = instrumentation;
        _prices = prices;
        _time = time;
        _logger = logger;
        var glassbox = options.Value;
        _semconv = glassbox.EmitSemanticConventions;
        _ai = glassbox.EmitAiAttributes;
        _captureContent = CaptureContentEnabled(glassbox);
        _maxContentChars = glassbox.MaxCapturedContentChars;
    }

    public bool CaptureContent => _captureContent;

    public static bool CaptureContentEnabled(GlassboxOptions options) =>
        options.CaptureMessageContent
        || string.Equals(Environment.GetEnvironmentVariable("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"), "true", StringComparison.OrdinalIgnoreCase);

    public Activity? Start(AiCall call, Activity? serverActivity)
    {
        var request = call.Request;
        var operation = call.Dialect.OperationName;
        var name = request.Model is null ? operation : string.Concat(operation, " ", request.Model);
        // Parent explicitly: the call span belongs directly under the server span, whatever else is current.
        // It starts when the request arrived, before the body was read: reading it is the first phase.
        var activity = _instrumentation.ActivitySource.StartActivity(name, ActivityKind.Client, serverActivity?.Context ?? default, startTime: call.StartUtc);
        call.Activity = activity;
        if (activity is not { IsAllDataRequested: true })
        {
            return activity;
        }

        _phaseSpans.ReadRequest(activity, call);

        var route = call.Route;
        if (_semconv)
        {
            activity.Put(GenAI.OperationName, operation);
            activity.Put(GenAI.ProviderName, route.Upstream.Provider);
            activity.Put(GenAI.RequestModel, request.Model);
            activity.Put(GenAI.RequestStream, request.Stream);
            activity.Put(GenAI.RequestMaxTokens, request.MaxTokens);
            activity.Put(GenAI.RequestTemperature, request.Temperature);
            activity.Put(GenAI.RequestTopP, request.TopP);
            activity.Put(GenAI.RequestTopK, request.TopK);
            activity.PutObject(GenAI.RequestStopSequences, request.StopSequences);
            call.Dialect.SetRequestTags(activity);
        }

        activity.Put(Common.ServerAddress, route.ServerAddress);
        activity.Put(Common.ServerPort, route.ServerPort);
        activity.Put(Common.ClientAddress, call.ClientAddress);
        if (_ai)
        {
            activity.Put(Ai.Provider, route.Upstream.Provider);
            activity.Put(Ai.Model, request.Model);
            activity.Put(Ai.Streaming, request.Stream);
            activity.Put(Ai.MessageCount, request.MessageCount);
        }

        activity.Put(Own.Upstream, route.UpstreamName);
        activity.Put(Own.Route, route.Path);
        SetAttributionTags(activity, call.Attribution);
        activity.Put(Own.ToolCount, request.ToolCount);
        if (_captureContent && request.CapturedInput is { } input)
        {
            activity.Put(GenAI.InputMessages, Cap(input));
        }

        return activity;
    }

    public void Finish(AiCall call)
    {
        if (!call.TryMarkFinished())
        {
            return;
        }

        var frequency = (double)_time.TimestampFrequency;
        var end = call.EndTimestamp ?? _time.GetTimestamp();
        var durationSeconds = (end - call.StartTimestamp) / frequency;
        var facts = call.Response;
        double? ttftSeconds = facts.FirstContentTimestamp is { } first && call.Request.Stream ? (first - call.StartTimestamp) / frequency : null;
        var error = call.Conclusion?.Error;
        var usage = call.Dialect.Usage(facts);
        var responseModel = facts.ResponseModel;
        var requestModel = call.Request.Model;
        var cost = _prices.Estimate(responseModel ?? requestModel, usage);

        double? overheadSeconds = call.FirstAttemptTimestamp is { } firstAttempt
            ? (firstAttempt - call.BodyReceivedTimestamp + call.GatewayWorkTicks) / frequency
            : null;
        double? outputTokensPerSecond = call.Request.Stream && facts.ContentChunks > 1 && usage.Output is { } outputTokens
            && facts.LastContentTimestamp > facts.FirstContentTimestamp
            ? outputTokens / ((facts.LastContentTimestamp!.Value - facts.FirstContentTimestamp!.Value) / frequency)
            : null;
        var activity = call.Activity;
        if (activity is { IsAllDataRequested: true })
        {
            SetEndTags(activity, call, error, durationSeconds, ttftSeconds, usage, cost, outputTokensPerSecond, frequency);
            SetPhaseTags(activity, call, overheadSeconds, frequency);
        }

        if (call.EndTimestamp is not null)
        {
            activity?.SetEndTime(_phaseSpans.At(call, end).UtcDateTime);
        }

        activity?.Stop();
        RecordMetrics(call, error, durationSeconds, ttftSeconds, usage, cost, outputTokensPerSecond, overheadSeconds, frequency);
        if (facts.ObserverFailure is { } failure)
        {
            _instrumentation.ObserverFailures.Add(1,
                new KeyValuePair<string, object?>(GenAI.ProviderName, call.Route.Upstream.Provider),
                new KeyValuePair<string, object?>(Own.ObserverFailure, failure));
        }

        if (!_logger.IsEnabled(error is null ? LogLevel.Information : LogLevel.Warning))
        {
            return;
        }

        var durationMs = Math.Round(durationSeconds * 1000, 2);
        double? ttftMs = ttftSeconds is { } t ? Math.Round(t * 1000, 2) : null;
        var (route, provider, endReason) = (call.Route.Path, call.Route.Upstream.Provider, EndReasonName(call.EndReason));
        var traceId = activity?.TraceId.ToHexString();
        switch (error, traceId)
        {
            case (null, null):
                GatewayLog.AiCallCompletedUntraced(_logger, route, provider, requestModel, call.StatusCode, durationMs, ttftMs, facts.InputTokens, facts.OutputTokens, endReason);
                break;
            case (null, _):
                GatewayLog.AiCallCompleted(_logger, route, provider, requestModel, call.StatusCode, durationMs, ttftMs, facts.InputTokens, facts.OutputTokens, endReason, traceId);
                break;
            case (_, null):
                GatewayLog.AiCallFailedUntraced(_logger, route, provider, requestModel, call.StatusCode, durationMs, ttftMs, facts.InputTokens, facts.OutputTokens, endReason, error.AiType);
                break;
            default:
                GatewayLog.AiCallFailed(_logger, route, provider, requestModel, call.StatusCode, durationMs, ttftMs, facts.InputTokens, facts.OutputTokens, endReason, error.AiType, traceId);
                break;
        }
    }

    private void SetEndTags(Activity activity, AiCall call, CallError? error, double durationSeconds, double? ttftSeconds, TokenUsage usage, CostEstimate? cost, double? outputTokensPerSecond, double frequency)
    {
        var facts = call.Response;
        var outputTokens = SpanTags.Box(facts.OutputTokens); // one box for both vocabularies when they agree
        if (_semconv)
        {
            activity.Put(GenAI.ResponseId, facts.ResponseId);
            activity.Put(GenAI.ResponseModel, facts.ResponseModel);
            if (facts.FinishReason is { } finish)
            {
                activity.PutObject(GenAI.ResponseFinishReasons, new[] { finish });
            }

            activity.Put(GenAI.UsageInputTokens, usage.Input);
            activity.PutObject(GenAI.UsageOutputTokens, usage.Output == facts.OutputTokens ? outputTokens : SpanTags.Box(usage.Output));
            activity.Put(GenAI.UsageCacheReadInputTokens, usage.CacheRead);
            activity.Put(GenAI.UsageCacheCreationInputTokens, usage.CacheCreation);
            activity.Put(GenAI.UsageReasoningOutputTokens, usage.Reasoning);
            activity.Put(GenAI.ResponseTimeToFirstChunk, ttftSeconds);
            if (error is not null)
            {
                activity.Put(Common.ErrorType, error.SemconvType);
            }
        }

        if (_ai)
        {
            activity.Put(Ai.StopReason, facts.FinishReason);
            activity.Put(Ai.TokensInput, facts.InputTokens);
            activity.PutObject(Ai.TokensOutput, outputTokens);
            if (facts.CacheReadInputTokens is not null || facts.InputTokens is not null)
            {
                activity.Put(Ai.CacheHit, facts.CacheReadInputTokens > 0);
            }

            activity.Put(Ai.TtftMs, ttftSeconds is { } t ? Math.Round(t * 1000, 2) : null);
            activity.Put(Ai.LatencyMs, Math.Round(durationSeconds * 1000, 2));
            activity.Put(Ai.Chunks, facts.ContentChunks);
            activity.Put(Ai.CostUsd, cost is { } c ? (double)c.Usd : null);
            activity.Put(Ai.RetryCount, call.RetryCount);
            if (error is not null)
            {
                activity.Put(Ai.ErrorType, error.AiType);
                if (call.StatusCode is >= 400)
                {
                    activity.Put(Ai.ErrorStatus, call.StatusCode);
                }

                activity.Put(Ai.ErrorRetryAfter, call.RetryAfter ?? facts.ErrorRetryAfter);
            }
        }

        if (facts.Output is { } captured)
        {
            activity.Put(GenAI.OutputMessages, OutputMessagesJson(captured, facts.FinishReason));
        }

        activity.Put(Common.HttpResponseStatusCode, call.StatusCode);
        if (call.HeadersTimestamp is { } headers)
        {
            activity.Put(Own.TtfbMs, Math.Round((headers - call.StartTimestamp) / frequency * 1000, 2));
        }

        if (call.Request.Stream)
        {
            activity.Put(Own.StreamCompleted, facts.Completed && call.BodyEnded);
            if (facts.ContentChunks > 1)
            {
                activity.Put(Own.MaxChunkGapMs, Math.Round(facts.MaxContentGapTicks / frequency * 1000, 2));
                if (outputTokensPerSecond is { } rate)
                {
                    activity.Put(Own.OutputTokensPerSecond, Math.Round(rate, 1));
                }
            }
        }

        activity.Put(Own.EndReason, EndReasonName(call.EndReason));
        activity.Put(Own.UsageReported, facts.InputTokens is not null || facts.OutputTokens is not null);
        activity.Put(Own.UsageInjected, call.UsageInjection?.Active);
        if (cost is { } priced)
        {
            activity.Put(Own.PriceModel, priced.PriceEntry);
        }

        activity.Put(Own.ContentEncoding, call.ContentEncoding);
        activity.Put(Own.ObservationProblem, facts.ObservationProblem);
        activity.Put(Own.TimeoutKind, call.Conclusion?.TimeoutKind);

        if (call.Conclusion is { SpanStatus: not ActivityStatusCode.Unset } conclusion)
        {
            activity.SetStatus(conclusion.SpanStatus, conclusion.SpanStatusDescription);
            if (conclusion.Exception is { } exception)
            {
                activity.AddException(exception);
            }
        }
    }

    /// <summary>The full attribution values (metrics get only the configured, capped dimensions).</summary>
    private static void SetAttributionTags(Activity activity, Attribution.CallAttribution attribution)
    {
        if (ReferenceEquals(attribution, Attribution.CallAttribution.None))
        {
            return;
        }

        activity.Put(Gateway.Attribution.AttributionNames.App, attribution.App);
        activity.Put(Gateway.Attribution.AttributionNames.Endpoint, attribution.Endpoint);
        activity.Put(Gateway.Attribution.AttributionNames.User, attribution.User);
        activity.Put(Own.ApiKeyId, attribution.ApiKeyId);
        activity.Put(Gateway.Attribution.AttributionNames.ApiKeyAlias, attribution.ApiKeyAlias);
        activity.Put(Gateway.Attribution.AttributionNames.UserAgent, attribution.UserAgent);
        foreach (var (name, value) in attribution.Tags)
        {
            activity.Put(Gateway.Attribution.AttributionNames.TagPrefix + name, value);
        }
    }

    private static void SetPhaseTags(Activity activity, AiCall call, double? overheadSeconds, double frequency)
    {
        static double Ms(long from, long to, double frequency) => Math.Round((to - from) / frequency * 1000, 3);

        activity.Put(Own.RequestReadMs, Ms(call.StartTimestamp, call.RequestReadTimestamp, frequency));
        if (overheadSeconds is { } overhead)
        {
            activity.Put(Own.GatewayOverheadMs, Math.Round(overhead * 1000, 3));
        }

        if (call.CurrentPhases is { } phases && call.FirstAttemptTimestamp is not null)
        {
            activity.Put(Own.ConnectionReused, phases.ReusedConnection);
            if (phases.DnsStarted is { } dnsStart && phases.DnsEnded is { } dnsEnd)
            {
                activity.Put(Own.DnsMs, Ms(dnsStart, dnsEnd, frequency));
            }

            if (phases.ConnectStarted is { } connectStart && phases.ConnectEnded is { } connectEnd)
            {
                activity.Put(Own.ConnectMs, Ms(connectStart, connectEnd, frequency));
                if (phases.Tls && phases.ConnectionReady is { } ready)
                {
                    activity.Put(Own.TlsMs, Ms(connectEnd, ready, frequency));
                }
            }
        }

        var facts = call.Response;
        if (facts.FirstContentTimestamp is { } first && facts.LastContentTimestamp is { } last)
        {
            activity.Put(Own.GenerationMs, Ms(first, last, frequency));
        }

        if (call.RateLimits is { } limits)
        {
            for (var kind = 0; kind < Own.RateLimitKinds.Length; kind++)
            {
                if (limits.Limit(kind) is { } limit)
                {
                    activity.Put(Own.RateLimitLimit[kind], limit);
                }

                if (limits.Remaining(kind) is { } remaining)
                {
                    activity.Put(Own.RateLimitRemaining[kind], remaining);
                }

                if (limits.Reset(kind) is { } reset)
                {
                    activity.Put(Own.RateLimitReset[kind], reset);
                }
            }
        }
    }

    /// <summary>Tags every call metric carries (the response model only when known).</summary>
    private const int MaxCommonTags = 9;

    /// <summary>The most one measurement adds before the attribution tags: cache hit and two error types.</summary>
    private const int MaxOwnTags = 3;

    /// <remarks>
    /// Every dimension is bounded: configured names (upstream, route, provider), the model names (capped per
    /// dimension by <see cref="Cardinality.DimensionLimits"/>, since callers choose them), and closed sets (error types, end reasons, booleans). No id, key or free text becomes a label.
    /// </remarks>
    private void RecordMetrics(AiCall call, CallError? error, double durationSeconds, double? ttftSeconds, TokenUsage usage, CostEstimate? cost,
        double? outputTokensPerSecond, double? overheadSeconds, double frequency)
    {
        var facts = call.Response;
        // Who the call was for splits tokens, cost and duration only (the configured, capped attribution dimensions).
        var attribution = _attributionDimensions.TagsOf(call.Attribution);

        // One call's tags on the stack: the common ones written once, each measurement's own written after them for that
        // measurement (a TagList copied per measurement boxed again and, past eight tags, allocated an overflow array).
        var buffer = new MetricTagBuffer();
        var needed = MaxCommonTags + MaxOwnTags + attribution.Length;
        Span<KeyValuePair<string, object?>> tags = needed <= MetricTagBuffer.Capacity ? buffer : new KeyValuePair<string, object?>[needed];
        var common = 0;
        tags[common++] = new(GenAI.OperationName, call.Dialect.OperationName);
        tags[common++] = new(GenAI.ProviderName, call.Route.Upstream.Provider);
        tags[common++] = new(GenAI.RequestModel, call.MetricModel);
        tags[common++] = new(GenAI.RequestStream, SpanTags.Box(call.Request.Stream));
        tags[common++] = new(Common.ServerAddress, call.Route.ServerAddress);
        tags[common++] = new(Common.ServerPort, call.Route.ServerPortTag);
        tags[common++] = new(Own.Upstream, call.Route.UpstreamName);
        tags[common++] = new(Own.Route, call.Route.Path);
        if (_responseModels.Apply(facts.ResponseModel) is { } responseModel)
        {
            tags[common++] = new(GenAI.ResponseModel, responseModel);
        }

        // Latency split by cache use shows what the prompt cache buys; unknown without reported usage.
        var latency = common;
        if (facts.CacheReadInputTokens is not null || facts.InputTokens is not null)
        {
            tags[latency++] = new(Own.CacheHit, SpanTags.Box(facts.CacheReadInputTokens > 0));
        }

        var duration = latency;
        if (error is not null)
        {
            tags[duration++] = new(Common.ErrorType, error.SemconvType);
            tags[duration++] = new(Ai.ErrorType, error.AiType);
        }

        _instrumentation.OperationDuration.Record(durationSeconds, Attributed(tags, duration, attribution));
        if (ttftSeconds is { } ttft)
        {
            _instrumentation.TimeToFirstChunk.Record(ttft, tags[..latency]);
        }

        if (usage.Input is { } input)
        {
            tags[common] = new(GenAI.TokenType, TokenTypes.Input);
            _instrumentation.TokenUsage.Record(input, Attributed(tags, common + 1, attribution));
        }

        if (usage.Output is { } output)
        {
            tags[common] = new(GenAI.TokenType, TokenTypes.Output);
            _instrumentation.TokenUsage.Record(output, Attributed(tags, common + 1, attribution));
        }

        var tokenTags = Attributed(tags, common, attribution).Length;
        AddTokens(tags, tokenTags, TokenTypes.Input, usage.Input);
        AddTokens(tags, tokenTags, TokenTypes.Output, usage.Output);
        AddTokens(tags, tokenTags, TokenTypes.CacheRead, usage.CacheRead);
        AddTokens(tags, tokenTags, TokenTypes.CacheCreation, usage.CacheCreation);
        AddTokens(tags, tokenTags, TokenTypes.Reasoning, usage.Reasoning);

        ReadOnlySpan<KeyValuePair<string, object?>> commonTags = tags[..common];
        foreach (var gap in facts.ContentGapTicks)
        {
            _instrumentation.TimePerOutputChunk.Record(gap / frequency, commonTags);
        }

        if (outputTokensPerSecond is { } rate)
        {
            _instrumentation.OutputTokenRate.Record(rate, commonTags);
        }

        if (overheadSeconds is { } overhead)
        {
            _instrumentation.GatewayOverhead.Record(overhead, commonTags);
        }

        if (cost is { } estimate)
        {
            _instrumentation.Cost.Add((double)estimate.Usd, Attributed(tags, common, attribution));
        }

        if (call.Request.Stream && !(facts.Completed && call.BodyEnded) && call.StatusCode is null or < 400)
        {
            tags[common] = new(Own.EndReason, EndReasonName(call.EndReason));
            _instrumentation.AbortedStreams.Add(1, tags[..(common + 1)]);
        }
    }

    /// <summary>The first <paramref name="count"/> tags, then the attribution ones (written after them).</summary>
    private static ReadOnlySpan<KeyValuePair<string, object?>> Attributed(Span<KeyValuePair<string, object?>> tags, int count,
        KeyValuePair<string, object?>[] attribution)
    {
        attribution.CopyTo(tags[count..]);
        return tags[..(count + attribution.Length)];
    }

    /// <summary><c>glassbox.tokens</c> of one type: the first <paramref name="count"/> tags and the type after them.</summary>
    private void AddTokens(Span<KeyValuePair<string, object?>> tags, int count, string type, long? tokens)
    {
        if (tokens is { } value)
        {
            tags[count] = new(Own.TokenType, type);
            _instrumentation.Tokens.Add(value, tags[..(count + 1)]);
        }
    }

    /// <summary><c>gen_ai.output.messages</c>: one assistant message with its text part (semantic-conventions shape).</summary>
    private static string OutputMessagesJson(StreamObservation.OutputCapture output, string? finishReason)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("role", "assistant");
            json.WriteStartArray("parts");
            json.WriteStartObject();
            json.WriteString("type", "text");
            json.WriteString("content", output.Text);
            json.WriteEndObject();
            json.WriteEndArray();
            if (finishReason is not null)
            {
                json.WriteString("finish_reason", finishReason);
            }

            if (output.Truncated)
            {
                json.WriteBoolean("truncated", true);
            }

            json.WriteEndObject();
            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private string Cap(string content) => content.Length <= _maxContentChars ? content : content[.._maxContentChars];

    private static string EndReasonName(CallEndReason reason) => reason switch
    {
        CallEndReason.Completed => "completed",
        CallEndReason.GatewayError => "gateway_error",
        CallEndReason.UpstreamInterrupted => "upstream_interrupted",
        CallEndReason.ClientDisconnected => "client_disconnected",
        CallEndReason.Timeout => "timeout",
        CallEndReason.Shutdown => Own.EndReasonShutdown,
        _ => "unknown",
    };
}
