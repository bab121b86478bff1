namespace Glassbox.Gateway.StreamObservation;

/// <summary>Values of <c>glassbox.observer.failure</c>: how the gateway's own observation of a body failed.</summary>
internal static class ObserverFailures
{
    /// <summary>An observer threw; the bytes still flowed, the rest of the body was not observed.</summary>
    public const string Exception = "exception";

    /// <summary>Decoding the compressed side copy did not finish within the grace period after the body ended.</summary>
    public const string DecodeTimeout = "decode_timeout";
}
