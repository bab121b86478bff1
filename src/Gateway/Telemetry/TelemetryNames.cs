namespace Glassbox.Gateway.Telemetry;

/// <summary>Every name the gateway emits. This file is the contract users build dashboards on.</summary>
internal static class TelemetryNames
{
    public const string ActivitySourceName = "Glassbox.Gateway";
    public const string MeterName = "Glassbox.Gateway";
    public const string OperationChat = "chat";
    public const string OperationGenerateContent = "generate_content";

    /// <summary>OpenTelemetry GenAI semantic conventions (v1.41).</summary>
    public static class GenAI
    {
        public const string OperationName = "gen_ai.operation.name";
        public const string ProviderName = "gen_ai.provider.name";
        public const string RequestModel = "gen_ai.request.model";
        public const string RequestStream = "gen_ai.request.stream";
        public const string RequestMaxTokens = "gen_ai.request.max_tokens";
        public const string RequestTemperature = "gen_ai.request.temperature";
        public const string RequestTopP = "gen_ai.request.top_p";
        public const string RequestTopK = "gen_ai.request.top_k";
        public const string RequestStopSequences = "gen_ai.request.stop_sequences";
        public const string ResponseId = "gen_ai.response.id";
        public const string ResponseModel = "gen_ai.response.model";
        public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";
        public const string ResponseTimeToFirstChunk = "gen_ai.response.time_to_first_chunk";
        public const string UsageInputTokens = "gen_ai.usage.input_tokens";
        public const string UsageOutputTokens = "gen_ai.usage.output_tokens";
        public const string UsageCacheReadInputTokens = "gen_ai.usage.cache_read.input_tokens";
        public const string UsageCacheCreationInputTokens = "gen_ai.usage.cache_creation.input_tokens";
        public const string UsageReasoningOutputTokens = "gen_ai.usage.reasoning.output_tokens";
        public const string TokenType = "gen_ai.token.type";
        public const string InputMessages = "gen_ai.input.messages";
        public const string OutputMessages = "gen_ai.output.messages";
        public const string OpenAIApiType = "openai.api.type";

        public const string MetricOperationDuration = "gen_ai.client.operation.duration";
        public const string MetricTokenUsage = "gen_ai.client.token.usage";
        public const string MetricTimeToFirstChunk = "gen_ai.client.operation.time_to_first_chunk";
        public const string MetricTimePerOutputChunk = "gen_ai.client.operation.time_per_output_chunk";
    }

    /// <summary>Standard attributes shared with other instrumentations.</summary>
    public static class Common
    {
        public const string ServerAddress = "server.address";
        public const string ServerPort = "server.port";
        public const string ClientAddress = "client.address";
        public const string UrlScheme = "url.scheme";
        public const string ErrorType = "error.type";
        public const string HttpResponseStatusCode = "http.response.status_code";
        public const string HttpRequestMethod = "http.request.method";
        public const string UrlFull = "url.full";
        public const string NetworkProtocolVersion = "network.protocol.version";
    }

    /// <summary>The <c>ai.*</c> names of the guide the product grew out of.</summary>
    public static class Ai
    {
        public const string Provider = "ai.provider";
        public const string Model = "ai.model";
        public const string Streaming = "ai.streaming";
        public const string MessageCount = "ai.message_count";
        public const string StopReason = "ai.stop_reason";
        public const string TokensInput = "ai.tokens.input";
        public const string TokensOutput = "ai.tokens.output";
        public const string CacheHit = "ai.cache_hit";
        public const string TtftMs = "ai.ttft_ms";
        public const string LatencyMs = "ai.latency_ms";
        public const string Chunks = "ai.chunks";
        public const string CostUsd = "ai.cost_usd";
        public const string RetryCount = "ai.retry_count";
        public const string ErrorType = "ai.error.type";
        public const string ErrorStatus = "ai.error.status";
        public const string ErrorRetryAfter = "ai.error.retry_after";
    }

    /// <summary>The gateway's own attributes and metrics (documented in README, "Telemetry reference").</summary>
    public static class Own
    {
        public const string Upstream = "glassbox.upstream";
        public const string Route = "glassbox.route";
        public const string StreamCompleted = "glassbox.stream.completed";
        public const string EndReason = "glassbox.end_reason";

        /// <summary><c>glassbox.end_reason</c> of a call still open when the drain timeout ran out.</summary>
        public const string EndReasonShutdown = "shutdown";
        public const string TtfbMs = "glassbox.ttfb_ms";
        public const string ToolCount = "glassbox.request.tool_count";
        public const string MaxChunkGapMs = "glassbox.max_chunk_gap_ms";
        public const string OutputTokensPerSecond = "glassbox.output_tokens_per_second";
        public const string ObservationProblem = "glassbox.observation_problem";
        public const string ContentEncoding = "glassbox.content_encoding";
        public const string UsageReported = "glassbox.usage_reported";
        public const string TimeoutKind = "glassbox.timeout";
        public const string ApiKeyId = "glassbox.api_key.id";
        public const string AuthReason = "glassbox.auth.reason";
        public const string MetricDimension = "glassbox.metric.dimension";
        public const string ObserverFailure = "glassbox.observer.failure";

        /// <summary>Metric dimension: the call read input from the provider's prompt cache (<c>true</c>/<c>false</c>; absent when no usage was reported).</summary>
        public const string CacheHit = "glassbox.cache_hit";

        /// <summary>Metric dimension of <see cref="MetricTokens"/>: <c>input</c>, <c>output</c>, <c>cache_read</c>, <c>cache_creation</c>, <c>reasoning</c>.</summary>
        public const string TokenType = "glassbox.token.type";

        public const string AttemptNumber = "glassbox.attempt.number";
        public const string AttemptReason = "glassbox.attempt.outcome";
        public const string RetryDelayMs = "glassbox.retry.delay_ms";
        public const string RetryReason = "glassbox.retry.reason";
        public const string CircuitState = "glassbox.circuit.state";
        public const string SamplingReason = "glassbox.sampling.reason";

        public const string RateLimitKind = "glassbox.ratelimit.kind";
        public const string ConnectionReused = "glassbox.connection.reused";
        public const string DnsMs = "glassbox.dns_ms";
        public const string ConnectMs = "glassbox.connect_ms";
        public const string TlsMs = "glassbox.tls_ms";
        public const string RequestReadMs = "glassbox.request_read_ms";
        public const string GenerationMs = "glassbox.generation_ms";
        public const string GatewayOverheadMs = "glassbox.gateway_overhead_ms";

        /// <summary>Rate-limit kinds as the providers' headers name them, normalised.</summary>
        public static readonly string[] RateLimitKinds = ["requests", "tokens", "input_tokens", "output_tokens"];

        /// <summary><c>glassbox.ratelimit.{kind}.limit</c>, indexed like <see cref="RateLimitKinds"/>.</summary>
        public static readonly string[] RateLimitLimit = [.. RateLimitKinds.Select(kind => $"glassbox.ratelimit.{kind}.limit")];

        /// <summary><c>glassbox.ratelimit.{kind}.remaining</c>.</summary>
        public static readonly string[] RateLimitRemaining = [.. RateLimitKinds.Select(kind => $"glassbox.ratelimit.{kind}.remaining")];

        /// <summary><c>glassbox.ratelimit.{kind}.reset</c>.</summary>
        public static readonly string[] RateLimitReset = [.. RateLimitKinds.Select(kind => $"glassbox.ratelimit.{kind}.reset")];

        public const string SpanAttempt = "upstream attempt";
        public const string SpanReadRequest = "read request";
        public const string SpanDns = "dns";
        public const string SpanConnect = "connect";
        public const string SpanTls = "tls handshake";
        public const string SpanWaitConnection = "wait for connection";
        public const string SpanSendRequest = "send request";
        public const string SpanWaitHeaders = "wait for response headers";
        public const string SpanTimeToFirstToken = "time to first token";
        public const string SpanGeneration = "generation";
        public const string SpanStreamTail = "stream tail";

        public const string MetricGatewayOverhead = "glassbox.gateway.overhead";
        public const string MetricRateLimitRemaining = "glassbox.ratelimit.remaining";
        public const string MetricRateLimitLimit = "glassbox.ratelimit.limit";
        public const string SpanBackoff = "retry backoff";

        public const string MetricAbortedStreams = "glassbox.stream.aborted";
        public const string MetricRetries = "glassbox.retries";
        public const string MetricAuthRejected = "glassbox.auth.rejected";
        public const string MetricDimensionOverflow = "glassbox.metric.dimension_overflow";
        public const string MetricAttributionOverflow = "glassbox.attribution.overflow";
        public const string MetricObserverFailures = "glassbox.observer.failures";
        public const string MetricCircuitTransitions = "glassbox.circuit_breaker.transitions";
        public const string MetricCost = "glassbox.cost";
        public const string MetricSamplingKept = "glassbox.sampling.kept";
        public const string MetricSamplingDropped = "glassbox.sampling.dropped";
        public const string MetricTokens = "glassbox.tokens";
        public const string MetricOutputTokenRate = "glassbox.output_token_rate";
        public const string MetricPriceFileErrors = "glassbox.price_file.errors";
        public const string MetricUsageInjectionDisabled = "glassbox.usage_injection.disabled";
        public const string MetricLogsDropped = "glassbox.logs.dropped";

        /// <summary>Chat streams without <c>include_usage</c>: whether the gateway asked the upstream for usage (and hid it from the client).</summary>
        public const string UsageInjected = "glassbox.usage_injected";

        /// <summary>The price entry (model name or prefix) <c>ai.cost_usd</c> was computed with.</summary>
        public const string PriceModel = "glassbox.price.model";
    }

    /// <summary>Values of <see cref="Own.TokenType"/>.</summary>
    public static class TokenTypes
    {
        public const string Input = "input";
        public const string Output = "output";
        public const string CacheRead = "cache_read";
        public const string CacheCreation = "cache_creation";
        public const string Reasoning = "reasoning";
    }

    /// <summary>Values of <c>ai.error.type</c>.</summary>
    public static class ErrorTypes
    {
        public const string RateLimit = "rate_limit";
        public const string Overloaded = "overloaded";
        public const string Authentication = "authentication";
        public const string Permission = "permission";
        public const string InvalidRequest = "invalid_request";
        public const string NotFound = "not_found";
        public const string RequestTooLarge = "request_too_large";
        public const string ApiError = "api_error";
        public const string Timeout = "timeout";
        public const string UpstreamUnreachable = "upstream_unreachable";
        public const string StreamInterrupted = "stream_interrupted";
        public const string ClientDisconnected = "client_disconnected";
        public const string Shutdown = "shutdown";
    }
}
