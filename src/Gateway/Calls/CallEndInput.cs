using Glassbox.Gateway.Resilience;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Calls;

/// <summary>Everything <see cref="CallEnding.Decide"/> reads: facts collected while the call ran, none derived.</summary>
/// <param name="UpstreamName">For messages.</param>
/// <param name="Timeouts">For messages.</param>
/// <param name="Stream">The caller asked for a stream.</param>
/// <param name="Provider">What the observers read from the body.</param>
/// <param name="Rejection">The gateway answered without forwarding (body too large, invalid JSON, circuit open).</param>
/// <param name="LastAttempt">The final upstream attempt, if one ran.</param>
/// <param name="ClientAborted">The caller went away.</param>
/// <param name="TotalTimedOut">The overall time cap fired before an answer could be forwarded (during an attempt or a backoff).</param>
/// <param name="Unhandled">An exception escaped the pipeline.</param>
/// <param name="DrainExpired">The gateway's drain timeout ran out (shutdown) during a backoff, before an answer could be forwarded.</param>
internal sealed record CallEndInput(
    string UpstreamName,
    TimeoutOptions Timeouts,
    bool Stream,
    ProviderVerdict Provider,
    GatewayAnswer? Rejection = null,
    AttemptResult? LastAttempt = null,
    bool ClientAborted = false,
    bool TotalTimedOut = false,
    Exception? Unhandled = null,
    bool DrainExpired = false);

/// <summary>What the body's observers said about errors and completion (a snapshot of <see cref="ResponseFacts"/>).</summary>
/// <param name="DialectErrorType">The <c>ai.error.type</c> the call's dialect gives the provider's error type, when it knows it.</param>
internal sealed record ProviderVerdict(
    string? ErrorBodyType = null,
    string? ErrorBodyMessage = null,
    string? StreamErrorType = null,
    string? StreamErrorMessage = null,
    bool Completed = false,
    string? DialectErrorType = null)
{
    public static ProviderVerdict Of(ResponseFacts facts, Dialects.IApiDialect? dialect = null) =>
        new(facts.ErrorBodyType, facts.ErrorBodyMessage, facts.StreamErrorType, facts.StreamErrorMessage, facts.Completed,
            (facts.ErrorBodyType ?? facts.StreamErrorType) is { } type ? dialect?.ErrorType(type) : null);
}
