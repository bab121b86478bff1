using Glassbox.Gateway.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Glassbox.Gateway.Tests.Memory;

/// <summary>The trimmer gives memory back after start-up and after each quiet period, and not while calls keep the heap busy.</summary>
public sealed class IdleMemoryTrimmerTests : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(15);
    private readonly FakeTimeProvider _time = new();
    private readonly FakeHeap _heap = new();
    private readonly FakeLifetime _lifetime = new();

    public void Dispose() => _lifetime.Dispose();

    [Fact]
    public async Task Start_BeforeTheHostStarted_WaitsThenTrimsOnce()
    {
        using var trimmer = await StartAsync(Period);
        Assert.Equal(0, _heap.Trims);

        _lifetime.Start();

        await EventuallyAsync(() => _heap.Trims == 1);
    }

    [Fact]
    public async Task Tick_QuietForAPeriodAfterActivity_TrimsAgain()
    {
        // Which checks trim and which do not is IdlePeriodsTests' subject; this shows the loop acts on it on its clock.
        using var trimmer = await StartAsync(Period);
        _lifetime.Start();
        await EventuallyAsync(() => _heap.Trims == 1);

        _heap.Allocate(collections: 5);
        await ChecksAsync(IdleMemoryTrimmer.ChecksPerPeriod + 1); // the collection seen at the first check, then a whole period

        await EventuallyAsync(() => _heap.Trims == 2);
    }

    [Fact]
    public async Task IdleTrimAfter_Zero_NeverTrims()
    {
        using var trimmer = await StartAsync(TimeSpan.Zero);
        _lifetime.Start();
        _time.Advance(TimeSpan.FromMinutes(5));

        await trimmer.ExecuteTask!;
        Assert.Equal(0, _heap.Trims);
    }

    private async Task<IdleMemoryTrimmer> StartAsync(TimeSpan period)
    {
        var trimmer = new IdleMemoryTrimmer(_heap, Options.Create(new MemoryOptions { IdleTrimAfter = period }), _time, _lifetime,
            NullLogger<IdleMemoryTrimmer>.Instance);
        await trimmer.StartAsync(CancellationToken.None);
        return trimmer;
    }

    /// <summary>Advances the fake clock check by check, waiting each time until the trimmer looked at the heap.</summary>
    private async Task ChecksAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var looks = _heap.Looks;
            _time.Advance(Period / IdleMemoryTrimmer.ChecksPerPeriod);
            await EventuallyAsync(() => _heap.Looks > looks);
        }
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 10 s");
            await Task.Delay(5);
        }
    }

    private sealed class FakeHeap : IManagedHeap
    {
        private int _gen0;
        private int _looks;
        private int _trims;

        public int Looks => Volatile.Read(ref _looks);

        public int Trims => Volatile.Read(ref _trims);

        /// <summary>Read once per tick by the trimmer's decision (and once after a trim).</summary>
        public int Gen0Collections
        {
            get
            {
                Interlocked.Increment(ref _looks);
                return Volatile.Read(ref _gen0);
            }
        }

        public long CommittedBytes => 64L << 20;

        public void Allocate(int collections) => Interlocked.Add(ref _gen0, collections);

        public void CollectAndRelease()
        {
            Interlocked.Increment(ref _gen0); // a full collection counts in generation 0 too
            Interlocked.Increment(ref _trims);
        }
    }

    private sealed class FakeLifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _started = new();

        public CancellationToken ApplicationStarted => _started.Token;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void Start() => _started.Cancel();

        public void StopApplication()
        {
        }

        public void Dispose() => _started.Dispose();
    }
}
