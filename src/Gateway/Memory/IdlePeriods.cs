namespace Glassbox.Gateway.Memory;

/// <summary>
/// Decides, once per period, whether the period was quiet and not yet trimmed: quiet means no generation-0 collection
/// since the last look, so at most one trim follows each stretch of activity however long the quiet lasts.
/// </summary>
internal sealed class IdlePeriods(int gen0Collections)
{
    private int _seen = gen0Collections;
    private bool _trimmed;

    public bool ShouldTrim(int gen0Collections)
    {
        if (gen0Collections != _seen)
        {
            _seen = gen0Collections;
            _trimmed = false;
            return false;
        }

        return !_trimmed;
    }

    /// <summary>The trim's own collection is not activity.</summary>
    public void Trimmed(int gen0Collections)
    {
        _seen = gen0Collections;
        _trimmed = true;
    }
}
