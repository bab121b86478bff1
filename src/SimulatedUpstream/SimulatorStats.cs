using System.Collections.Concurrent;

namespace Glassbox.SimulatedUpstream;

/// <summary>
/// Counters of simulated API calls (not of <c>/_sim/*</c> calls), resolvable from <c>app.Services</c>
/// and served as JSON by <c>GET /_sim/stats</c>. Keys are never stored: only whether one was present.
/// </summary>
public sealed class SimulatorStats
{
    private readonly ConcurrentDictionary<string, int> _scenarioAttempts = new(StringComparer.Ordinal);
    private long _requests;
    private long _active;
    private long _aborted;
    private long _completed;
    private long _resets;
    private int _lastAuthPresent;

    /// <summary>Simulated API requests received.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests in flight now.</summary>
    public long Active => Interlocked.Read(ref _active);

    /// <summary>Requests whose client went away before the response ended.</summary>
    public long Aborted => Interlocked.Read(ref _aborted);

    /// <summary>Requests whose response ended normally (any status, including faults written as a status).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Requests the simulator itself cut (<c>x-sim-fault: reset</c>).</summary>
    public long Resets => Interlocked.Read(ref _resets);

    /// <summary>Whether the last request carried <c>x-api-key</c> or <c>Authorization</c>.</summary>
    public bool LastAuthPresent => Volatile.Read(ref _lastAuthPresent) == 1;

    /// <summary>Requests seen so far carrying <c>x-sim-scenario: <paramref name="scenario"/></c>.</summary>
    public int ScenarioAttempts(string scenario) => _scenarioAttempts.GetValueOrDefault(scenario);

    /// <summary>Zeroes every counter except <see cref="Active"/> (those requests are still running) and forgets scenarios.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _aborted, 0);
        Interlocked.Exchange(ref _completed, 0);
        Interlocked.Exchange(ref _resets, 0);
        Volatile.Write(ref _lastAuthPresent, 0);
        _scenarioAttempts.Clear();
    }

    internal void RequestStarted(bool authPresent)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _active);
        Volatile.Write(ref _lastAuthPresent, authPresent ? 1 : 0);
    }

    internal void RequestEnded(CallOutcome outcome)
    {
        switch (outcome)
        {
            case CallOutcome.Aborted:
                Interlocked.Increment(ref _aborted);
                break;
            case CallOutcome.Reset:
                Interlocked.Increment(ref _resets);
                break;
            default:
                Interlocked.Increment(ref _completed);
                break;
        }

        Interlocked.Decrement(ref _active);
    }

    /// <summary>Counts one attempt of the scenario and returns its 1-based number.</summary>
    internal int NextScenarioAttempt(string scenario) =>
        _scenarioAttempts.AddOrUpdate(scenario, 1, static (_, n) => n + 1);
}

internal enum CallOutcome
{
    Completed,
    Aborted,
    Reset,
}
