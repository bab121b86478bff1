using System.Diagnostics;
using System.Diagnostics.Metrics;
using Glassbox.Gateway.Telemetry;
using Glassbox.Gateway.Telemetry.Sampling;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Telemetry.Sampling;

/// <summary>The export filter on hand-made spans: what passes, what waits, what is given up.</summary>
[Collection(SamplingTestGroup.Name)]
public sealed class TailSamplingProcessorTests : IDisposable
{
    // Same name as the gateway's source: the filter recognises call spans by it. Only this listener samples
    // this instance, and every span it creates is record-only, as the head sampler's drops are.
    private readonly ActivitySource _source = new(TelemetryNames.ActivitySourceName);
    private readonly ActivityListener _listener;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly GatewayInstrumentation _instrumentation;
    private readonly MeterListener _meters = new();
    private readonly SpanCollector _exported = new();
    private readonly Dictionary<string, long> _dropped = [];
    private readonly Dictionary<string, long> _kept = [];

    public TailSamplingProcessorTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, _source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(_listener);
        _instrumentation = new GatewayInstrumentation(_services.GetRequiredService<IMeterFactory>());
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument, _instrumentation.SamplingDropped) || ReferenceEquals(instrument, _instrumentation.SamplingKept))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var counts = ReferenceEquals(instrument, _instrumentation.SamplingDropped) ? _dropped : _kept;
            var reason = (string)tags[0].Value!;
            counts[reason] = counts.GetValueOrDefault(reason) + value;
        });
        _meters.Start();
    }

    public void Dispose()
    {
        _meters.Dispose();
        _listener.Dispose();
        _source.Dispose();
        _instrumentation.Dispose();
        _services.Dispose();
        Activity.Current = null;
    }

    [Fact]
    public void OnEnd_SampledSpan_PassesStraightThrough()
    {
        using var processor = Processor();
        var span = Start(processor, "GET /healthz", ActivityKind.Server, sampled: true);
        End(processor, span);

        Assert.Same(span, Assert.Single(_exported.Ended));
        Assert.Equal(0, processor.PendingTraceCount);
    }

    [Fact]
    public void OnEnd_OrdinaryTrace_IsForgottenWhenItsLastSpanEnds()
    {
        using var processor = Processor();
        var server = Start(processor, "POST /v1/messages", ActivityKind.Server);
        var call = Start(processor, "chat m", ActivityKind.Client, server);
        call.SetTag("ai.retry_count", 0);
        End(processor, call);
        Assert.Equal(1, processor.PendingTraceCount);
        End(processor, server);

        Assert.Empty(_exported.Ended);
        Assert.Equal(0, processor.PendingTraceCount);
        Assert.Empty(_dropped);
        Assert.Empty(_kept);
    }

    [Fact]
    public void OnEnd_ErroringCall_WholeTraceExportedOnceTheLastSpanEnds()
    {
        using var processor = Processor();
        var server = Start(processor, "POST /v1/messages", ActivityKind.Server);
        var call = Start(processor, "chat m", ActivityKind.Client, server);
        var attempt = Start(processor, "upstream attempt", ActivityKind.Internal, call);
        // The in-process upstream's server span continues the trace from a remote parent: a second local root.
        var upstream = Start(processor, "POST /v1/messages", ActivityKind.Server, new ActivityContext(attempt.TraceId, attempt.SpanId, default, isRemote: true));
        End(processor, attempt);
        call.SetTag("ai.error.type", "invalid_request");
        call.SetStatus(ActivityStatusCode.Error);
        End(processor, call);
        End(processor, server);
        Assert.Empty(_exported.Ended);

        End(processor, upstream);

        Assert.Equal([attempt, call, server, upstream], _exported.Ended);
        Assert.All(_exported.Ended, s => Assert.True(s.Recorded));
        Assert.Equal("invalid_request", call.GetTagItem("ai.error.type"));
        Assert.Equal(1, _kept[TailSamplingProcessor.ReasonError]);
        Assert.Equal(0, processor.PendingTraceCount);
    }

    [Theory]
    [InlineData("retry_count")]
    [InlineData("backoff")]
    public void OnEnd_RetriedCall_IsKept(string evidence)
    {
        using var processor = Processor();
        var call = Start(processor, "chat m", ActivityKind.Client);
        if (evidence == "backoff")
        {
            End(processor, Start(processor, "retry backoff", ActivityKind.Internal, call));
        }
        else
        {
            call.SetTag("ai.retry_count", 1);
        }

        End(processor, call);

        Assert.Contains(call, _exported.Ended);
        Assert.Equal(1, _kept[TailSamplingProcessor.ReasonRetried]);
    }

    [Fact]
    public void OnEnd_CallSlowerThanTheThreshold_IsKeptAndFasterIsNot()
    {
        using var processor = Processor(o => o.KeepSlowerThan = TimeSpan.FromSeconds(1));
        var slow = Start(processor, "chat slow", ActivityKind.Client);
        slow.SetEndTime(slow.StartTimeUtc + TimeSpan.FromSeconds(1.5));
        End(processor, slow);
        var fast = Start(processor, "chat fast", ActivityKind.Client);
        fast.SetEndTime(fast.StartTimeUtc + TimeSpan.FromSeconds(0.5));
        End(processor, fast);

        Assert.Equal([slow], _exported.Ended);
        Assert.Equal(1, _kept[TailSamplingProcessor.ReasonSlow]);
    }

    [Fact]
    public void OnEnd_KeepRulesOff_ErrorsAreNotKept()
    {
        using var processor = Processor(o => (o.KeepErrors, o.KeepRetried, o.KeepSlowerThan) = (false, false, TimeSpan.Zero));
        var call = Start(processor, "chat m", ActivityKind.Client);
        call.SetStatus(ActivityStatusCode.Error);
        call.SetTag("ai.retry_count", 2);
        End(processor, call);

        Assert.Empty(_exported.Ended);
    }

    [Fact]
    public void OnStart_PendingTraceLimitReached_OldestTraceIsGivenUpAndCounted()
    {
        using var processor = Processor(o => o.MaxPendingTraces = 2);
        var first = Start(processor, "POST first", ActivityKind.Server);
        End(processor, Start(processor, "chat first", ActivityKind.Client, first));
        var second = Start(processor, "POST second", ActivityKind.Server);
        var third = Start(processor, "POST third", ActivityKind.Server);

        Assert.Equal(2, processor.PendingTraceCount);
        Assert.Equal(1, _dropped[TailSamplingProcessor.DropPendingLimit]);

        // The first trace's root ends after its trace was given up: dropped too, not exported.
        first.SetStatus(ActivityStatusCode.Error);
        End(processor, first);
        Assert.Equal(2, _dropped[TailSamplingProcessor.DropPendingLimit]);
        End(processor, second);
        End(processor, third);
        Assert.Empty(_exported.Ended);
        Assert.Equal(0, processor.PendingTraceCount);
    }

    [Fact]
    public void OnStart_PendingTraceLimitReached_OldestTraceAlreadyWorthKeepingIsExported()
    {
        using var processor = Processor(o => o.MaxPendingTraces = 1);
        var first = Start(processor, "POST first", ActivityKind.Server);
        var call = Start(processor, "chat first", ActivityKind.Client, first);
        call.SetStatus(ActivityStatusCode.Error);
        End(processor, call);
        var second = Start(processor, "POST second", ActivityKind.Server);

        Assert.Equal([call], _exported.Ended);
        End(processor, second);
        End(processor, first);
        Assert.Equal([call], _exported.Ended);
    }

    [Fact]
    public void OnEnd_SpansPerTraceLimitReached_LaterSpansAreDroppedAndCounted()
    {
        using var processor = Processor(o => o.MaxSpansPerTrace = 2);
        var server = Start(processor, "POST /v1/messages", ActivityKind.Server);
        var call = Start(processor, "chat m", ActivityKind.Client, server);
        var children = Enumerable.Range(0, 3).Select(_ => Start(processor, "upstream attempt", ActivityKind.Internal, call)).ToList();
        children.ForEach(child => End(processor, child));
        call.SetStatus(ActivityStatusCode.Error);
        End(processor, call);
        End(processor, server);

        Assert.Equal(children.Take(2), _exported.Ended);
        Assert.Equal(3, _dropped[TailSamplingProcessor.DropSpanLimit]);
    }

    [Fact]
    public void Shutdown_TraceAlreadyWorthKeeping_IsExportedWithWhatItHas()
    {
        var processor = Processor();
        var server = Start(processor, "POST /v1/messages", ActivityKind.Server);
        var call = Start(processor, "chat m", ActivityKind.Client, server);
        call.SetStatus(ActivityStatusCode.Error);
        End(processor, call);

        Assert.True(processor.Shutdown());
        processor.Dispose();

        Assert.Equal([call], _exported.Ended);
        Activity.Current = null;
    }

    private TailSamplingProcessor Processor(Action<SamplingOptions>? configure = null)
    {
        var options = new SamplingOptions();
        configure?.Invoke(options);
        return new TailSamplingProcessor([_exported], options, _instrumentation);
    }

    private Activity Start(TailSamplingProcessor processor, string name, ActivityKind kind, Activity? parent = null, bool sampled = false) =>
        Start(processor, name, kind, parent?.Context ?? default, sampled);

    private Activity Start(TailSamplingProcessor processor, string name, ActivityKind kind, ActivityContext parent, bool sampled = false)
    {
        var activity = _source.StartActivity(name, kind, parent) ?? throw new InvalidOperationException("not sampled");
        // Parents are explicit; no span becomes the implicit parent of the next root.
        Activity.Current = null;
        Assert.True(activity.IsAllDataRequested);
        if (sampled)
        {
            activity.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        }

        processor.OnStart(activity);
        return activity;
    }

    private static void End(TailSamplingProcessor processor, Activity activity)
    {
        activity.Stop();
        processor.OnEnd(activity);
    }
}
