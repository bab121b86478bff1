using System.Diagnostics.Metrics;
using Glassbox.Gateway.Telemetry.Cardinality;

namespace Glassbox.Gateway.Tests.Telemetry.Cardinality;

/// <summary>The cap on one dimension's values: first come keep their value, later ones become _other and are counted.</summary>
public sealed class DimensionValueLimitTests : IDisposable
{
    private readonly Meter _meter = new("glassbox.tests.cardinality." + Guid.NewGuid().ToString("N"));
    private readonly MeterListener _listener = new();
    private readonly List<(long Value, object? Dimension)> _overflows = [];

    public DimensionValueLimitTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == _meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            lock (_overflows)
            {
                _overflows.Add((value, tags.ToArray().Single(t => t.Key == "glassbox.metric.dimension").Value));
            }
        });
        _listener.Start();
    }

    [Fact]
    public void Apply_PastTheCap_NewValuesBecomeOtherAndEachIsCounted()
    {
        var limit = new DimensionLimits(2, _meter.CreateCounter<long>("overflow")).For("team");

        var recorded = new[] { limit.Apply("a"), limit.Apply("b"), limit.Apply("c"), limit.Apply("a"), limit.Apply("d"), limit.Apply("b") };

        Assert.Equal(new string?[] { "a", "b", "_other", "a", "_other", "b" }, recorded);
        Assert.Equal([(1L, (object?)"team"), (1L, "team")], _overflows);
    }

    [Fact]
    public void Apply_Null_StaysNullAndTakesNoRoom()
    {
        var limit = new DimensionLimits(1, _meter.CreateCounter<long>("overflow")).For("model");

        Assert.Null(limit.Apply(null));
        Assert.Equal("x", limit.Apply("x"));
        Assert.Empty(_overflows);
    }

    [Fact]
    public void For_TwoDimensions_EachHasItsOwnRoom()
    {
        var limits = new DimensionLimits(1, _meter.CreateCounter<long>("overflow"));

        Assert.Equal("m", limits.For("gen_ai.request.model").Apply("m"));
        Assert.Equal("t", limits.For("team").Apply("t"));
        Assert.Same(limits.For("team"), limits.For("team"));
    }

    [Fact]
    public async Task Apply_ManyThreadsManyValues_NeverAdmitsMoreThanTheCap()
    {
        var limit = new DimensionLimits(10, _meter.CreateCounter<long>("overflow")).For("model");

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => limit.Apply("v" + i))));

        Assert.Equal(10, results.Where(r => r != "_other").Distinct().Count());
        Assert.Equal(190, _overflows.Count);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meter.Dispose();
    }
}
