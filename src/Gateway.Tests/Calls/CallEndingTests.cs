using System.Diagnostics;
using System.Net.Sockets;
using Glassbox.Gateway.Calls;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Resilience;
using Glassbox.Gateway.StreamObservation.Tee;
using Yarp.ReverseProxy.Forwarder;

namespace Glassbox.Gateway.Tests.Calls;

/// <summary>
/// How a call ended, as one table: what happened (the final attempt's result, the tee's end-of-stream
/// record, what the observers read) against the end reason, timeout, the gateway's own answer, the error
/// types and the span status the call gets.
/// </summary>
public sealed class CallEndingTests
{
    private static readonly TimeoutOptions Timeouts = new() { Headers = TimeSpan.FromSeconds(3), Total = TimeSpan.FromSeconds(90) };
    private static readonly IOException Reset = new("The response ended prematurely.", new SocketException((int)SocketError.ConnectionReset));

    /// <summary>One row: a scenario, the input it produces, and how the call must end.</summary>
    internal sealed record Row(
        CallEndInput Input,
        CallEndReason EndReason,
        string? TimeoutKind = null,
        int? Status = null,
        int? AnswerStatus = null,
        string? AiType = null,
        string? SemconvType = null);

    private static readonly Dictionary<string, Row> Table = new()
    {
        ["non-streaming 200 read whole"] = new(
            Input(Attempt(200, Body(StreamEndKind.Eof)), provider: new ProviderVerdict(Completed: true)),
            CallEndReason.Completed, Status: 200),
        ["stream ended with its terminal event"] = new(
            Input(Attempt(200, Body(StreamEndKind.Eof)), stream: true, provider: new ProviderVerdict(Completed: true)),
            CallEndReason.Completed, Status: 200),
        ["stream reached EOF without its terminal event"] = new(
            Input(Attempt(200, Body(StreamEndKind.Eof)), stream: true),
            CallEndReason.Completed, Status: 200, AiType: "stream_interrupted", SemconvType: "stream_interrupted"),
        ["provider error event inside a 200 stream"] = new(
            Input(Attempt(200, Body(StreamEndKind.Eof)), stream: true, provider: new ProviderVerdict(StreamErrorType: "overloaded_error", StreamErrorMessage: "Overloaded", Completed: true)),
            CallEndReason.Completed, Status: 200, AiType: "overloaded", SemconvType: "overloaded_error"),
        ["forwarded 429 with the provider's type"] = new(
            Input(Attempt(429, Body(StreamEndKind.Eof)), provider: new ProviderVerdict(ErrorBodyType: "rate_limit_error", ErrorBodyMessage: "slow down", Completed: true)),
            CallEndReason.Completed, Status: 429, AiType: "rate_limit", SemconvType: "rate_limit_error"),
        ["forwarded 400 whose provider type says rate limit"] = new(
            Input(Attempt(400, Body(StreamEndKind.Eof)), provider: new ProviderVerdict(ErrorBodyType: "insufficient_quota", Completed: true)),
            CallEndReason.Completed, Status: 400, AiType: "rate_limit", SemconvType: "insufficient_quota"),
        ["forwarded 503 with an unknown body"] = new(
            Input(Attempt(503, Body(StreamEndKind.Eof))),
            CallEndReason.Completed, Status: 503, AiType: "overloaded", SemconvType: "503"),
        ["forwarded 401 from the provider"] = new(
            Input(Attempt(401, Body(StreamEndKind.Eof)), provider: new ProviderVerdict(ErrorBodyType: "authentication_error", Completed: true)),
            CallEndReason.Completed, Status: 401, AiType: "authentication", SemconvType: "authentication_error"),
        ["upstream broke mid-stream"] = new(
            Input(Attempt(200, Body(StreamEndKind.UpstreamBroke, Reset), ForwarderError.ResponseBodyDestination), stream: true),
            CallEndReason.UpstreamInterrupted, Status: 200, AiType: "stream_interrupted", SemconvType: "stream_interrupted"),
        ["upstream broke inside a JSON body, so the caller's connection was aborted"] = new(
            Input(Attempt(200, Body(StreamEndKind.UpstreamBroke, Reset), ForwarderError.ResponseBodyDestination, clientAborted: true), clientAborted: true),
            CallEndReason.UpstreamInterrupted, Status: 200, AiType: "stream_interrupted", SemconvType: "stream_interrupted"),
        ["upstream silent past the idle timeout"] = new(
            Input(Attempt(200, Body(StreamEndKind.IdleTimeout, new OperationCanceledException())), stream: true),
            CallEndReason.Timeout, "idle", Status: 200, AiType: "timeout", SemconvType: "timeout"),
        ["overall cap fired mid-stream"] = new(
            Input(Attempt(200, Body(StreamEndKind.TotalTimeout, new OperationCanceledException()), ForwarderError.ResponseBodyCanceled, timeout: AttemptTimeout.Total), stream: true),
            CallEndReason.Timeout, "total", Status: 200, AiType: "timeout", SemconvType: "timeout"),
        ["caller left mid-stream"] = new(
            Input(Attempt(200, Body(StreamEndKind.ClientLeft), ForwarderError.ResponseBodyCanceled, clientAborted: true), stream: true, clientAborted: true),
            CallEndReason.ClientDisconnected, Status: 200, AiType: "client_disconnected", SemconvType: "client_disconnected"),
        ["caller left after the whole body was sent"] = new(
            Input(Attempt(200, Body(StreamEndKind.Eof)), stream: true, clientAborted: true, provider: new ProviderVerdict(Completed: true)),
            CallEndReason.Completed, Status: 200),
        ["writing to the caller failed"] = new(
            Input(Attempt(200, Body(StreamEndKind.Abandoned), ForwarderError.ResponseBodyClient), stream: true),
            CallEndReason.ClientDisconnected, Status: 200, AiType: "client_disconnected", SemconvType: "client_disconnected"),
        ["caller left during a retry backoff"] = new(
            Input(HeldBack(429), clientAborted: true),
            CallEndReason.ClientDisconnected, AiType: "client_disconnected", SemconvType: "client_disconnected"),
        ["connection refused"] = new(
            Input(Attempt(null, null, ForwarderError.Request, exception: new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)), responseStarted: false)),
            CallEndReason.GatewayError, Status: 502, AnswerStatus: 502, AiType: "upstream_unreachable", SemconvType: "upstream_unreachable"),
        ["no headers within the headers timeout"] = new(
            Input(Attempt(null, null, ForwarderError.RequestCanceled, timeout: AttemptTimeout.Headers, responseStarted: false)),
            CallEndReason.Timeout, "response_headers", Status: 504, AnswerStatus: 504, AiType: "timeout", SemconvType: "timeout"),
        ["overall cap fired before headers"] = new(
            Input(Attempt(null, null, ForwarderError.RequestCanceled, timeout: AttemptTimeout.Total, responseStarted: false)),
            CallEndReason.Timeout, "total", Status: 504, AnswerStatus: 504, AiType: "timeout", SemconvType: "timeout"),
        ["overall cap fired during a retry backoff"] = new(
            Input(HeldBack(429), totalTimedOut: true),
            CallEndReason.Timeout, "total", Status: 504, AnswerStatus: 504, AiType: "timeout", SemconvType: "timeout"),
        ["body over the gateway's limit"] = new(
            Input(null, rejection: new GatewayAnswer(413, GatewayErrorKind.RequestTooLarge, "request_too_large", "too large")),
            CallEndReason.GatewayError, Status: 413, AnswerStatus: 413, AiType: "request_too_large", SemconvType: "request_too_large"),
        ["circuit open"] = new(
            Input(null, rejection: new GatewayAnswer(503, GatewayErrorKind.Overloaded, "upstream_unreachable", "circuit open")),
            CallEndReason.GatewayError, Status: 503, AnswerStatus: 503, AiType: "upstream_unreachable", SemconvType: "upstream_unreachable"),
        ["an exception escaped the pipeline"] = new(
            Input(null, unhandled: new InvalidOperationException("bug")),
            CallEndReason.GatewayError, AiType: "api_error", SemconvType: "System.InvalidOperationException"),
    };

    public static TheoryData<string> Scenarios() => [.. Table.Keys];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Decide_Scenario_EndsAsTheTableSays(string scenario)
    {
        var row = Table[scenario];

        var conclusion = CallEnding.Decide(row.Input);

        Assert.Equal(row.EndReason, conclusion.EndReason);
        Assert.Equal(row.TimeoutKind, conclusion.TimeoutKind);
        Assert.Equal(row.Status, conclusion.StatusCode);
        Assert.Equal(row.AnswerStatus, conclusion.Answer?.Status);
        Assert.Equal(row.AiType, conclusion.Error?.AiType);
        Assert.Equal(row.SemconvType, conclusion.Error?.SemconvType);
        Assert.Equal(row.AiType is null ? ActivityStatusCode.Unset : ActivityStatusCode.Error, conclusion.SpanStatus);
        if (row.AiType is not null)
        {
            Assert.False(string.IsNullOrEmpty(conclusion.SpanStatusDescription));
        }
    }

    [Fact]
    public void Decide_ConnectionRefused_AnswerSaysWhichUpstreamAndWhy()
    {
        var conclusion = CallEnding.Decide(Table["connection refused"].Input);

        Assert.Equal(GatewayErrorKind.UpstreamUnreachable, conclusion.Answer!.Kind);
        Assert.Contains("'Anthropic'", conclusion.Answer.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", conclusion.Answer.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(conclusion.Exception);
    }

    [Fact]
    public void Decide_HeadersTimeout_AnswerNamesTheConfiguredTimeout()
    {
        var conclusion = CallEnding.Decide(Table["no headers within the headers timeout"].Input);

        Assert.Contains("within 3 s", conclusion.Answer!.Message, StringComparison.Ordinal);
        Assert.Equal(conclusion.Answer.Message, conclusion.Error!.Message);
    }

    [Fact]
    public void Decide_ProviderMessage_BecomesTheSpanStatusDescription()
    {
        var conclusion = CallEnding.Decide(Table["forwarded 429 with the provider's type"].Input);

        Assert.Equal("slow down", conclusion.SpanStatusDescription);
    }

    [Fact]
    public void Decide_EveryDocumentedSeedValue_IsReachable()
    {
        string[] documented = ["rate_limit", "overloaded", "authentication", "permission", "invalid_request", "not_found", "request_too_large",
            "api_error", "timeout", "upstream_unreachable", "stream_interrupted", "client_disconnected"];
        var seen = Table.Values.Select(row => CallEnding.Decide(row.Input).Error?.AiType).OfType<string>().ToHashSet();
        foreach (var status in new[] { 400, 403, 404, 413, 500 })
        {
            seen.Add(CallEnding.Decide(Input(Attempt(status, Body(StreamEndKind.Eof)))).Error!.AiType);
        }

        Assert.Equal(documented.Order(), seen.Order());
    }

    private static StreamEnd Body(StreamEndKind kind, Exception? exception = null) => new(kind, 1000, exception);

    private static AttemptResult Attempt(int? status, StreamEnd? body, ForwarderError error = ForwarderError.None, Exception? exception = null,
        AttemptTimeout timeout = AttemptTimeout.None, bool clientAborted = false, bool responseStarted = true) =>
        new(1, status, HeldBack: false, RetryAfter: null, error, exception, RequestStarted: true, responseStarted, timeout, clientAborted, body);

    private static AttemptResult HeldBack(int status) =>
        new(1, status, HeldBack: true, RetryAfter: TimeSpan.FromSeconds(5), ForwarderError.None, null, RequestStarted: true, ResponseStarted: false, AttemptTimeout.None, false, null);

    private static CallEndInput Input(AttemptResult? attempt, bool stream = false, ProviderVerdict? provider = null, bool clientAborted = false,
        bool totalTimedOut = false, GatewayAnswer? rejection = null, Exception? unhandled = null) =>
        new("Anthropic", Timeouts, stream, provider ?? new ProviderVerdict(), rejection, attempt, clientAborted, totalTimedOut, unhandled);
}
