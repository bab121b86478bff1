using System.Diagnostics;
using OpenTelemetry;
using static Glassbox.Gateway.Telemetry.TelemetryNames;

namespace Glassbox.Gateway.Telemetry.Sampling;

/// <summary>
/// A tail-style export filter in front of the real exporters. Spans the head sampler sampled
/// (<see cref="Activity.Recorded"/>) pass straight through. Spans it dropped — recorded anyway by
/// <see cref="RecordOnlyOnDropSampler"/> — are held per trace until the last open span of the trace
/// in this process has ended; the trace is then exported if one of its calls was interesting
/// (error, retried, slow) and forgotten otherwise.
/// </summary>
/// <remarks>
/// "Last open span" rather than "the local root ended": a trace can have several local roots in one
/// process (a server span continuing a remote parent, another server span further down the same
/// trace), and spans still running when a root ends are part of the decision. Memory is bounded:
/// at most <see cref="SamplingOptions.MaxPendingTraces"/> traces (the oldest is given up first) and
/// <see cref="SamplingOptions.MaxSpansPerTrace"/> spans per trace; every span given up is counted in
/// <c>glassbox.sampling.dropped</c>. Derives from <see cref="CompositeProcessor{T}"/> so the wrapped
/// exporters get the provider (and thus the resource), flush and shutdown.
/// </remarks>
internal sealed class TailSamplingProcessor : CompositeProcessor<Activity>
{
    public const string ReasonError = "error";
    public const string ReasonRetried = "retried";
    public const string ReasonSlow = "slow";
    public const string DropPendingLimit = "pending_limit";
    public const string DropSpanLimit = "span_limit";

    private readonly object _gate = new();
    private readonly Dictionary<ActivityTraceId, PendingTrace> _pending = [];
    private readonly LinkedList<PendingTrace> _oldestFirst = new();
    private readonly GatewayInstrumentation _instrumentation;
    private readonly bool _keepErrors;
    private readonly bool _keepRetried;
    private readonly TimeSpan _keepSlowerThan;
    private readonly int _maxPendingTraces;
    private readonly int _maxSpansPerTrace;

    public TailSamplingProcessor(IEnumerable<BaseProcessor<Activity>> exporters, SamplingOptions options, GatewayInstrumentation instrumentation)
        : base(exporters)
    {
        _instrumentation = instrumentation;
        _keepErrors = options.KeepErrors;
        _keepRetried = options.KeepRetried;
        _keepSlowerThan = options.KeepSlowerThan;
        _maxPendingTraces = options.MaxPendingTraces;
        _maxSpansPerTrace = options.MaxSpansPerTrace;
    }

    /// <summary>Traces waiting for their decision (for tests).</summary>
    internal int PendingTraceCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public override void OnStart(Activity data)
    {
        if (data.Recorded)
        {
            base.OnStart(data);
            return;
        }

        PendingTrace? evicted = null;
        lock (_gate)
        {
            if (!_pending.TryGetValue(data.TraceId, out var trace))
            {
                if (_pending.Count >= _maxPendingTraces)
                {
                    evicted = _oldestFirst.First!.Value;
                    Forget(evicted);
                }

                trace = new PendingTrace(data.TraceId);
                trace.Node = _oldestFirst.AddLast(trace);
                _pending.Add(data.TraceId, trace);
            }

            trace.Open++;
        }

        if (evicted is not null)
        {
            GiveUp(evicted);
        }
    }

    public override void OnEnd(Activity data)
    {
        if (data.Recorded)
        {
            base.OnEnd(data);
            return;
        }

        var reason = KeepReason(data);
        PendingTrace? decided = null;
        string? dropped = null;
        lock (_gate)
        {
            if (!_pending.TryGetValue(data.TraceId, out var trace))
            {
                // Its trace was given up (pending limit) while this span was running.
                dropped = DropPendingLimit;
            }
            else
            {
                trace.Reason ??= reason;
                if (trace.Spans.Count < _maxSpansPerTrace)
                {
                    trace.Spans.Add(data);
                }
                else
                {
                    dropped = DropSpanLimit;
                }

                if (--trace.Open <= 0)
                {
                    Forget(trace);
                    decided = trace;
                }
            }
        }

        if (dropped is not null)
        {
            CountDropped(1, dropped);
        }

        if (decided?.Reason is { } keep)
        {
            Export(decided, keep);
        }
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        // Traces already known to be worth keeping go out with what they have; the rest are lost.
        List<PendingTrace> kept;
        lock (_gate)
        {
            kept = _pending.Values.Where(t => t.Reason is not null).ToList();
            _pending.Clear();
            _oldestFirst.Clear();
        }

        foreach (var trace in kept)
        {
            Export(trace, trace.Reason!);
        }

        return base.OnShutdown(timeoutMilliseconds);
    }

    /// <summary>Why the trace of this ended span is worth keeping, or null.</summary>
    private string? KeepReason(Activity span)
    {
        if (span.Source.Name != ActivitySourceName)
        {
            return null;
        }

        if (span.Kind == ActivityKind.Client)
        {
            // The call span ("chat {model}").
            if (_keepErrors && (span.Status == ActivityStatusCode.Error || span.GetTagItem(Ai.ErrorType) is not null))
            {
                return ReasonError;
            }

            if (_keepRetried && span.GetTagItem(Ai.RetryCount) is int and > 0)
            {
                return ReasonRetried;
            }

            if (_keepSlowerThan > TimeSpan.Zero && span.Duration > _keepSlowerThan)
            {
                return ReasonSlow;
            }
        }
        else if (_keepRetried && span.OperationName == Own.SpanBackoff)
        {
            // A backoff exists only between two attempts; this also works with the ai.* attributes off.
            return ReasonRetried;
        }

        return null;
    }

    private void Export(PendingTrace trace, string reason)
    {
        _instrumentation.SamplingKept.Add(1, new KeyValuePair<string, object?>(Own.SamplingReason, reason));
        foreach (var span in trace.Spans)
        {
            // Export processors skip unsampled spans; this one is sampled after the fact.
            span.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
            base.OnEnd(span);
        }
    }

    private void GiveUp(PendingTrace trace)
    {
        if (trace.Reason is { } reason)
        {
            Export(trace, reason);
        }
        else if (trace.Spans.Count > 0)
        {
            CountDropped(trace.Spans.Count, DropPendingLimit);
        }
    }

    private void Forget(PendingTrace trace)
    {
        _oldestFirst.Remove(trace.Node!);
        _pending.Remove(trace.Key);
    }

    private void CountDropped(int spans, string reason) =>
        _instrumentation.SamplingDropped.Add(spans, new KeyValuePair<string, object?>(Own.SamplingReason, reason));

    private sealed class PendingTrace(ActivityTraceId key)
    {
        public ActivityTraceId Key { get; } = key;
        public int Open { get; set; }
        public string? Reason { get; set; }
        public List<Activity> Spans { get; } = new(8);
        public LinkedListNode<PendingTrace>? Node { get; set; }
    }
}
