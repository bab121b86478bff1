namespace Glassbox.Gateway.Memory;

/// <summary>
/// Decides when the heap has been quiet long enough to trim: no generation-0 collection for a whole period, and not
/// trimmed since the last one, so at most one trim follows each stretch of activity however long the quiet lasts.
/// </summary>
internal sealed class IdlePeriods(TimeSpan period, int gen0Collections, TimeSpan now)
{
    private int _seen = gen0Collections;
    private TimeSpan _quietSince = now;
    private bool _trimmed;

    public bool ShouldTrim(int gen0Collections, TimeSpan now)
    {
        if (gen0Collections != _seen)
        {
            _seen = gen0Collections;
            _quietSince = now;
            _trimmed = false;
            return false;
        }

        return !_trimmed && now - _quietSince >= period;
    }

    /// <summary>The trim's own collection is not activity.</summary>
    public void Trimmed(int gen0Collections)
    {
        _seen = gen0Collections;
        _trimmed = true;
    }
}
