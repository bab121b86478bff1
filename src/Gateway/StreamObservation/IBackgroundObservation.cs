namespace Glassbox.Gateway.StreamObservation;

/// <summary>Observation that runs off the copy loop (decoding a compressed side copy) and may outlive the body.</summary>
internal interface IBackgroundObservation
{
    /// <summary>Finishes when the side copy has been observed to its end.</summary>
    Task Completion { get; }

    /// <summary>
    /// Stops observing for good: once this returns, nothing more is written to the call's facts,
    /// so the call can be finished while the work is still running. Waits for a write in progress.
    /// </summary>
    void Abandon();
}
