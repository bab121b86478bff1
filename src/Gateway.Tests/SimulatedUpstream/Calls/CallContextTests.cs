using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Control;
using Microsoft.AspNetCore.Http;

namespace Glassbox.Gateway.Tests.SimulatedUpstream.Calls;

public sealed class CallContextTests
{
    /// <summary>A timer that fires 2 ms early by the clock the gateway measures with: the planned delay is still kept whole.</summary>
    [Fact]
    public async Task DelayAsync_TimerFiresEarly_WaitsOutTheRestByTheClock()
    {
        var clock = new EarlyFirstTimerClock(early: TimeSpan.FromMilliseconds(2));
        var call = new CallContext(new DefaultHttpContext(), new SimRequest("m", Stream: true, IncludeUsage: false), new SimulationPlan(), clock, new CallState());
        var started = clock.GetTimestamp();

        await call.DelayAsync(250);

        Assert.True(clock.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(250), $"waited {clock.GetElapsedTime(started).TotalMilliseconds} ms");
        Assert.Equal(2, clock.Timers);
    }

    /// <summary>Time moves only when a timer fires: by its due time, except the first, which fires <c>early</c> before it.</summary>
    private sealed class EarlyFirstTimerClock(TimeSpan early) : TimeProvider
    {
        private long _now;

        public int Timers { get; private set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _now);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var advance = Timers++ == 0 ? dueTime - early : dueTime;
            Interlocked.Add(ref _now, advance.Ticks);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new NeverTimer();
        }

        private sealed class NeverTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => default;
        }
    }
}
