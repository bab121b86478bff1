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
            activity.SetTag(GenAI.OperationName, operation);
            activity.SetTag(GenAI.ProviderName, route.Upstream.Provider);
            activity.SetTag(GenAI.RequestModel, request.Model);
            activity.SetTag(GenAI.RequestStream, request.Stream);
            activity.SetTag(GenAI.RequestMaxTokens, request.MaxTokens);
            activity.SetTag(GenAI.RequestTemperature, request.Temperature);
            activity.SetTag(GenAI.RequestTopP, request.TopP);
            activity.SetTag(GenAI.RequestTopK, request.TopK);
            activity.SetTag(GenAI.RequestStopSequences, request.StopSequences);
            call.Dialect.SetRequestTags(activity);
        }

        activity.SetTag(Common.ServerAddress, route.ServerAddress);
        activity.SetTag(Common.ServerPort, route.ServerPort);
        activity.SetTag(Common.ClientAddress, call.ClientAddress);
        if (_ai)
        {
            activity.SetTag(Ai.Provider, route.Upstream.Provider);
            activity.SetTag(Ai.Model, request.Model);
            activity.SetTag(Ai.Streaming, request.Stream);
            activity.SetTag(Ai.MessageCount, request.MessageCount);
        }

        activity.SetTag(Own.Upstream, route.UpstreamName);
        activity.SetTag(Own.Route, route.Path);
        SetAttributionTags(activity, call.Attribution);
        activity.SetTag(Own.ToolCount, request.ToolCount);
        if (_captureContent && request.CapturedInput is { } input)
        {
            activity.SetTag(GenAI.InputMessages, Cap(input));
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
        if (_semconv)
        {
            activity.SetTag(GenAI.ResponseId, facts.ResponseId);
            activity.SetTag(GenAI.ResponseModel, facts.ResponseModel);
            if (facts.FinishReason is { } finish)
            {
                activity.SetTag(GenAI.ResponseFinishReasons, new[] { finish });
            }

            activity.SetTag(GenAI.UsageInputTokens, usage.Input);
            activity.SetTag(GenAI.UsageOutputTokens, usage.Output);
            activity.SetTag(GenAI.UsageCacheReadInputTokens, usage.CacheRead);
            activity.SetTag(GenAI.UsageCacheCreationInputTokens, usage.CacheCreation);
            activity.SetTag(GenAI.UsageReasoningOutputTokens, usage.Reasoning);
            activity.SetTag(GenAI.ResponseTimeToFirstChunk, ttftSeconds);
            if (error is not null)
            {
                activity.SetTag(Common.ErrorType, error.SemconvType);
            }
        }

        if (_ai)
        {
            activity.SetTag(Ai.StopReason, facts.FinishReason);
            activity.SetTag(Ai.TokensInput, facts.InputTokens);
            activity.SetTag(Ai.TokensOutput, facts.OutputTokens);
            if (facts.CacheReadInputTokens is not null || facts.InputTokens is not null)
            {
                activity.SetTag(Ai.CacheHit, facts.CacheReadInputTokens > 0);
            }

            activity.SetTag(Ai.TtftMs, ttftSeconds is { } t ? Math.Round(t * 1000, 2) : null);
            activity.SetTag(Ai.LatencyMs, Math.Round(durationSeconds * 1000, 2));
            activity.SetTag(Ai.Chunks, facts.ContentChunks);
            activity.SetTag(Ai.CostUsd, cost is { } c ? (double)c.Usd : null);
            activity.SetTag(Ai.RetryCount, call.RetryCount);
            if (error is not null)
            {
                activity.SetTag(Ai.ErrorType, error.AiType);
                if (call.StatusCode is >= 400)
                {
                    activity.SetTag(Ai.ErrorStatus, call.StatusCode);
                }

                activity.SetTag(Ai.ErrorRetryAfter, call.RetryAfter);
            }
        }

        if (facts.Output is { } captured)
        {
            activity.SetTag(GenAI.OutputMessages, OutputMessagesJson(captured, facts.FinishReason));
        }

        activity.SetTag(Common.HttpResponseStatusCode, call.StatusCode);
        if (call.HeadersTimestamp is { } headers)
        {
            activity.SetTag(Own.TtfbMs, Math.Round((headers - call.StartTimestamp) / frequency * 1000, 2));
        }

        if (call.Request.Stream)
        {
            activity.SetTag(Own.StreamCompleted, facts.Completed && call.BodyEnded);
            if (facts.ContentChunks > 1)
            {
                activity.SetTag(Own.MaxChunkGapMs, Math.Round(facts.MaxContentGapTicks / frequency * 1000, 2));
                if (outputTokensPerSecond is { } rate)
                {
                    activity.SetTag(Own.OutputTokensPerSecond, Math.Round(rate, 1));
                }
            }
        }

        activity.SetTag(Own.EndReason, EndReasonName(call.EndReason));
        activity.SetTag(Own.UsageReported, facts.InputTokens is not null || facts.OutputTokens is not null);
        activity.SetTag(Own.UsageInjected, call.UsageInjection?.Active);
        if (cost is { } priced)
        {
            activity.SetTag(Own.PriceModel, priced.PriceEntry);
        }

        activity.SetTag(Own.ContentEncoding, call.ContentEncoding);
        activity.SetTag(Own.ObservationProblem, facts.ObservationProblem);
        activity.SetTag(Own.TimeoutKind, call.Conclusion?.TimeoutKind);

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

        activity.SetTag(Gateway.Attribution.AttributionNames.App, attribution.App);
        activity.SetTag(Gateway.Attribution.AttributionNames.Endpoint, attribution.Endpoint);
        activity.SetTag(Gateway.Attribution.AttributionNames.User, attribution.User);
        activity.SetTag(Own.ApiKeyId, attribution.ApiKeyId);
        activity.SetTag(Gateway.Attribution.AttributionNames.ApiKeyAlias, attribution.ApiKeyAlias);
        activity.SetTag(Gateway.Attribution.AttributionNames.UserAgent, attribution.UserAgent);
        foreach (var (name, value) in attribution.Tags)
        {
            activity.SetTag(Gateway.Attribution.AttributionNames.TagPrefix + name, value);
        }
    }

    private static void SetPhaseTags(Activity activity, AiCall call, double? overheadSeconds, double frequency)
    {
        static double Ms(long from, long to, double frequency) => Math.Round((to - from) / frequency * 1000, 3);

        activity.SetTag(Own.RequestReadMs, Ms(call.StartTimestamp, call.RequestReadTimestamp, frequency));
        if (overheadSeconds is { } overhead)
        {
            activity.SetTag(Own.GatewayOverheadMs, Math.Round(overhead * 1000, 3));
        }

        if (call.CurrentPhases is { } phases && call.FirstAttemptTimestamp is not null)
        {
            activity.SetTag(Own.ConnectionReused, phases.ReusedConnection);
            if (phases.DnsStarted is { } dnsStart && phases.DnsEnded is { } dnsEnd)
            {
                activity.SetTag(Own.DnsMs, Ms(dnsStart, dnsEnd, frequency));
            }

            if (phases.ConnectStarted is { } connectStart && phases.ConnectEnded is { } connectEnd)
            {
                activity.SetTag(Own.ConnectMs, Ms(connectStart, connectEnd, frequency));
                if (phases.Tls && phases.ConnectionReady is { } ready)
                {
                    activity.SetTag(Own.TlsMs, Ms(connectEnd, ready, frequency));
                }
            }
        }

        var facts = call.Response;
        if (facts.FirstContentTimestamp is { } first && facts.LastContentTimestamp is { } last)
        {
            activity.SetTag(Own.GenerationMs, Ms(first, last, frequency));
        }

        if (call.RateLimits is { } limits)
        {
            for (var kind = 0; kind < Own.RateLimitKinds.Length; kind++)
            {
                if (limits.Limit(kind) is { } limit)
                {
                    activity.SetTag(Own.RateLimitLimit[kind], limit);
                }

                if (limits.Remaining(kind) is { } remaining)
                {
                    activity.SetTag(Own.RateLimitRemaining[kind], remaining);
                }

                if (limits.Reset(kind) is { } reset)
                {
                    activity.SetTag(Own.RateLimitReset[kind], reset);
                }
            }
        }
    }

    /// <remarks>
    /// Every dimension is bounded: configured names (upstream, route, provider), the model names (capped per
    /// dimension by <see cref="Cardinality.DimensionLimits"/>, since callers choose them), and closed sets (error types, end reasons, booleans). No id, key or free text becomes a label.
    /// </remarks>
    private void RecordMetrics(AiCall call, CallError? error, double durationSeconds, double? ttftSeconds, TokenUsage usage, CostEstimate? cost,
        double? outputTokensPerSecond, double? overheadSeconds, double frequency)
    {
        var facts = call.Response;
        var tags = new TagList
        {
            { GenAI.OperationName, call.Dialect.OperationName },
            { GenAI.ProviderName, call.Route.Upstream.Provider },
            { GenAI.RequestModel, call.MetricModel },
            { GenAI.RequestStream, call.Request.Stream },
            { Common.ServerAddress, call.Route.ServerAddress },
            { Common.ServerPort, call.Route.ServerPort },
            { Own.Upstream, call.Route.UpstreamName },
            { Own.Route, call.Route.Path },
        };
        if (_responseModels.Apply(facts.ResponseModel) is { } responseModel)
        {
            tags.Add(GenAI.ResponseModel, responseModel);
        }

        // Past eight tags, copies of a TagList share one overflow array: each copy below is used before a
        // later copy of the same parent adds its own tag, so none sees another's (hence TTFT right after duration).
        // Latency split by cache use shows what the prompt cache buys; unknown without reported usage.
        var latencyTags = tags;
        if (facts.CacheReadInputTokens is not null || facts.InputTokens is not null)
        {
            latencyTags.Add(Own.CacheHit, facts.CacheReadInputTokens > 0);
        }

        var durationTags = latencyTags;
        if (error is not null)
        {
            durationTags.Add(Common.ErrorType, error.SemconvType);
            durationTags.Add(Ai.ErrorType, error.AiType);
        }

        // Who the call was for splits tokens, cost and duration only (the configured, capped attribution dimensions).
        var attribution = _attributionDimensions.TagsOf(call.Attribution);
        _instrumentation.OperationDuration.Record(durationSeconds, With(durationTags, attribution));
        if (ttftSeconds is { } ttft)
        {
            _instrumentation.TimeToFirstChunk.Record(ttft, latencyTags);
        }

        if (usage.Input is { } input)
        {
            var inputTags = tags;
            inputTags.Add(GenAI.TokenType, TokenTypes.Input);
            _instrumentation.TokenUsage.Record(input, With(inputTags, attribution));
        }

        if (usage.Output is { } output)
        {
            var outputTags = tags;
            outputTags.Add(GenAI.TokenType, TokenTypes.Output);
            _instrumentation.TokenUsage.Record(output, With(outputTags, attribution));
        }

        var tokenTags = With(tags, attribution);
        AddTokens(tokenTags, TokenTypes.Input, usage.Input);
        AddTokens(tokenTags, TokenTypes.Output, usage.Output);
        AddTokens(tokenTags, TokenTypes.CacheRead, usage.CacheRead);
        AddTokens(tokenTags, TokenTypes.CacheCreation, usage.CacheCreation);
        AddTokens(tokenTags, TokenTypes.Reasoning, usage.Reasoning);

        foreach (var gap in facts.ContentGapTicks)
        {
            _instrumentation.TimePerOutputChunk.Record(gap / frequency, tags);
        }

        if (outputTokensPerSecond is { } rate)
        {
            _instrumentation.OutputTokenRate.Record(rate, tags);
        }

        if (overheadSeconds is { } overhead)
        {
            _instrumentation.GatewayOverhead.Record(overhead, tags);
        }

        if (cost is { } estimate)
        {
            _instrumentation.Cost.Add((double)estimate.Usd, With(tags, attribution));
        }

        if (call.Request.Stream && !(facts.Completed && call.BodyEnded) && call.StatusCode is null or < 400)
        {
            var abortedTags = tags;
            abortedTags.Add(Own.EndReason, EndReasonName(call.EndReason));
            _instrumentation.AbortedStreams.Add(1, abortedTags);
        }
    }

    /// <summary>A fresh list with <paramref name="extra"/> appended (a copy of a long TagList would share its overflow array).</summary>
    private static TagList With(in TagList source, KeyValuePair<string, object?>[] extra)
    {
        if (extra.Length == 0)
        {
            return source;
        }

        var result = new TagList();
        foreach (var tag in source)
        {
            result.Add(tag);
        }

        foreach (var tag in extra)
        {
            result.Add(tag);
        }

        return result;
    }

    private void AddTokens(TagList tags, string type, long? count)
    {
        if (count is { } tokens)
        {
            tags.Add(Own.TokenType, type);
            _instrumentation.Tokens.Add(tokens, tags);
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
