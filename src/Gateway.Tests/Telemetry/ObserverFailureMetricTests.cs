using System.Diagnostics.Metrics;
using Glassbox.Gateway.Calls;
using Glassbox.Gateway.Resilience;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.Telemetry;
using Glassbox.Gateway.Tests.Calls;

namespace Glassbox.Gateway.Tests.Telemetry;

/// <summary>A failed observation costs the call's telemetry; a sampled-out span would hide it, so a metric counts it.</summary>
public sealed class ObserverFailureMetricTests
{
    [Theory]
    [InlineData("exception")]
    [InlineData("decode_timeout")]
    public async Task Finish_ObserverFailed_CountedByKindWhateverTheSampling(string failure)
    {
        await using var app = GatewayApp.Build(["--urls", "http://127.0.0.1:0"]);
        var instrumentation = app.Services.GetRequiredService<GatewayInstrumentation>();
        var telemetry = app.Services.GetRequiredService<CallTelemetry>();
        var seen = new List<(long Value, object? Failure, object? Provider)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == instrumentation.Meter && instrument.Name == "glassbox.observer.failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var all = tags.ToArray();
            seen.Add((value, all.SingleOrDefault(t => t.Key == "glassbox.observer.failure").Value, all.SingleOrDefault(t => t.Key == "gen_ai.provider.name").Value));
        });
        listener.Start();
        var call = CallFixtures.Call(stream: true);
        call.Response.RecordObserverFailure(failure, "observation failed");
        call.Conclude(CallEnding.Decide(new CallEndInput("Anthropic", new TimeoutOptions(), true, ProviderVerdict.Of(call.Response))));

        telemetry.Finish(call);

        Assert.Equal([(1L, (object?)failure, (object?)"anthropic")], seen);
    }

    [Fact]
    public async Task Finish_BodyMerelyMalformed_NotCountedAsAnObserverFailure()
    {
        await using var app = GatewayApp.Build(["--urls", "http://127.0.0.1:0"]);
        var instrumentation = app.Services.GetRequiredService<GatewayInstrumentation>();
        var telemetry = app.Services.GetRequiredService<CallTelemetry>();
        var count = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == instrumentation.Meter && instrument.Name == "glassbox.observer.failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => count++);
        listener.Start();
        var call = CallFixtures.Call(stream: true);
        call.Response.RecordProblem("Malformed JSON in the response body.");
        call.Conclude(CallEnding.Decide(new CallEndInput("Anthropic", new TimeoutOptions(), true, ProviderVerdict.Of(call.Response))));

        telemetry.Finish(call);

        Assert.Equal(0, count);
    }
}
