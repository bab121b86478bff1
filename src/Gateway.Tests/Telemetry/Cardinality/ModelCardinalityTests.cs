using System.Net;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Telemetry.Cardinality;

/// <summary>
/// The model name comes from the caller's request body: a caller sending a new name on every call must
/// not grow the metric series without bound. Past the cap a value is recorded as <c>_other</c>, and counted.
/// </summary>
public sealed class ModelCardinalityTests
{
    [Fact]
    public async Task Send_MoreDistinctModelsThanTheCap_ExtraModelsRecordedAsOtherAndCounted()
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?> { ["Glassbox:Metrics:MaxValuesPerDimension"] = "3" });
        using var client = harness.CreateClient();
        var models = Enumerable.Range(0, 5).Select(i => AiRequests.UniqueModel($"card{i}")).ToArray();

        foreach (var model in models)
        {
            using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await harness.WaitForCallSpanAsync(model);
        }

        var recorded = models.Where(m => harness.MetricPoints("gen_ai.client.operation.duration", m).Count > 0).ToArray();
        Assert.Equal(models[..3], recorded);
        Assert.NotEmpty(harness.MetricPoints("gen_ai.client.operation.duration", "_other"));
        Assert.Equal(2, harness.CounterTotal("glassbox.metric.dimension_overflow", ("glassbox.metric.dimension", "gen_ai.request.model")));
        // The span keeps the caller's real value: only metric dimensions are capped.
        Assert.Equal(models[4], (await harness.WaitForCallSpanAsync(models[4])).GetTagItem("gen_ai.request.model"));
    }
}
