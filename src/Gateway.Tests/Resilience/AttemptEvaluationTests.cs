using Glassbox.Gateway.Calls;
using Glassbox.Gateway.Resilience;
using Yarp.ReverseProxy.Forwarder;

namespace Glassbox.Gateway.Tests.Resilience;

/// <summary>
/// Whether an attempt is retried and counts against the circuit, as one table. A request the upstream
/// may already be generating (and billing) is retried only when the upstream's answer says so.
/// </summary>
public sealed class AttemptEvaluationTests
{
    public static TheoryData<string, bool, bool, string> Rows() => new()
    {
        { "429 held back", true, false, "429" },
        { "503 held back", true, true, "503" },
        { "connection refused, nothing sent", true, true, "connection_failure" },
        { "reset after the request was sent", false, true, "connection_failure" },
        { "headers timeout, nothing sent", true, true, "headers_timeout" },
        { "headers timeout after the request was sent", false, true, "headers_timeout" },
        { "500 forwarded on the last attempt", false, true, "500" },
        { "200 forwarded", false, false, "ok" },
        { "overall cap fired before headers", false, false, "ok" },
        { "caller left before headers", false, false, "ok" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Evaluate_Attempt_RetriedOnlyWhenSafe(string scenario, bool retryable, bool failure, string reason)
    {
        var outcome = RetryDecision.Evaluate(Attempts[scenario]);

        Assert.Equal(retryable, outcome.Retryable);
        Assert.Equal(failure, outcome.Failure);
        Assert.Equal(reason, outcome.Reason);
    }

    [Fact]
    public void Evaluate_HeldBackWithRetryAfter_WaitsAsAsked()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), RetryDecision.Evaluate(Attempts["429 held back"]).RetryAfter);
    }

    private static readonly Dictionary<string, AttemptResult> Attempts = new()
    {
        ["429 held back"] = Result(429, heldBack: true, retryAfter: TimeSpan.FromSeconds(2), sent: true),
        ["503 held back"] = Result(503, heldBack: true, sent: true),
        ["connection refused, nothing sent"] = Result(null, error: ForwarderError.Request, sent: false),
        ["reset after the request was sent"] = Result(null, error: ForwarderError.Request, sent: true),
        ["headers timeout, nothing sent"] = Result(null, error: ForwarderError.RequestCanceled, timeout: AttemptTimeout.Headers, sent: false),
        ["headers timeout after the request was sent"] = Result(null, error: ForwarderError.RequestCanceled, timeout: AttemptTimeout.Headers, sent: true),
        ["500 forwarded on the last attempt"] = Result(500, sent: true, started: true),
        ["200 forwarded"] = Result(200, sent: true, started: true),
        ["overall cap fired before headers"] = Result(null, error: ForwarderError.RequestCanceled, timeout: AttemptTimeout.Total, sent: true),
        ["caller left before headers"] = Result(null, error: ForwarderError.RequestCanceled, sent: false, clientAborted: true),
    };

    private static AttemptResult Result(int? status, bool heldBack = false, TimeSpan? retryAfter = null, ForwarderError error = ForwarderError.None,
        AttemptTimeout timeout = AttemptTimeout.None, bool sent = false, bool started = false, bool clientAborted = false) =>
        new(1, status, heldBack, retryAfter, error, null, sent, started, timeout, clientAborted, null);
}
