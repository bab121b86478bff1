using Glassbox.Gateway.StreamObservation.Tee;
using Yarp.ReverseProxy.Forwarder;

namespace Glassbox.Gateway.Calls;

/// <summary>Which of the gateway's timers had fired when an attempt ended.</summary>
internal enum AttemptTimeout
{
    None,

    /// <summary>The attempt's time to headers ran out before headers arrived.</summary>
    Headers,

    /// <summary>The call's overall time cap ran out.</summary>
    Total,

    /// <summary>The gateway's drain timeout ran out (shutdown) before headers arrived.</summary>
    Shutdown,
}

/// <summary>How one upstream attempt ended: everything the retry decision and the end-of-call decision read.</summary>
/// <param name="Number">1-based attempt number.</param>
/// <param name="Status">The upstream's status code, when its headers arrived.</param>
/// <param name="HeldBack">A retryable answer was held back from the client.</param>
/// <param name="RetryAfter">The wait the upstream asked for on a held-back answer.</param>
/// <param name="Error">The forwarder's verdict (<see cref="ForwarderError.None"/> when it reported nothing).</param>
/// <param name="Exception">The forwarder's exception, if any.</param>
/// <param name="RequestStarted">Bytes of the request body were handed to the connection: the upstream may have the request.</param>
/// <param name="ResponseStarted">Something of the response reached the client (headers at least).</param>
/// <param name="Timeout">Which timer had fired.</param>
/// <param name="ClientAborted">The caller had gone away.</param>
/// <param name="Body">How the forwarded body ended, when the tee forwarded one.</param>
/// <param name="UsageInjectionRejected">A 400 to the usage-injected body, held back to send the call again without the injection.</param>
internal sealed record AttemptResult(
    int Number,
    int? Status,
    bool HeldBack,
    TimeSpan? RetryAfter,
    ForwarderError Error,
    Exception? Exception,
    bool RequestStarted,
    bool ResponseStarted,
    AttemptTimeout Timeout,
    bool ClientAborted,
    StreamEnd? Body,
    bool UsageInjectionRejected = false);
