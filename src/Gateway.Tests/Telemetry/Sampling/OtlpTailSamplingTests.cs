using System.Diagnostics;
using System.Net;
using Glassbox.Gateway.Tests.Infrastructure;
using OpenTelemetry.Trace;

namespace Glassbox.Gateway.Tests.Telemetry.Sampling;

/// <summary>
/// End to end against a real OTLP backend: the trace exporter behind the sampling filter still honours
/// the OTLP settings given only through configuration, and sends what the filter keeps, nothing else.
/// </summary>
[Collection(SamplingTestGroup.Name)]
public sealed class OtlpTailSamplingTests
{
    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http/protobuf")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "grpc")]
    public async Task Send_AtZeroPercentWithOtlpInConfiguration_ErroringCallReachesTheBackendAndOrdinaryCallDoesNot(string endpointKey, string protocol)
    {
        await using var dashboard = await AspireDashboard.StartAsync();
        var service = $"glassbox-sampling-{Guid.NewGuid():N}";
        var endpoint = protocol == "grpc" ? dashboard.OtlpGrpcEndpoint : dashboard.OtlpHttpEndpoint;
        var protocolKey = endpointKey.Replace("ENDPOINT", "PROTOCOL", StringComparison.Ordinal);
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
        {
            [endpointKey] = endpoint.ToString(),
            [protocolKey] = protocol,
            ["OTEL_SERVICE_NAME"] = service,
            ["OTEL_TRACES_SAMPLER"] = "always_off",
        });
        using var client = harness.CreateClient();
        using var ordinary = await client.SendAsync(AiRequests.Post("v1/messages", AiRequests.UniqueModel("otlp-plain"), stream: false));
        await ordinary.Content.ReadAsStringAsync();
        var model = AiRequests.UniqueModel("otlp-error");
        using var failing = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false,
            ("x-sim-fault", "status"), ("x-sim-status", "400")));
        await failing.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, failing.StatusCode);
        var call = await harness.CallSpanOfAsync(failing);
        // The collector sits next to the OTLP exporter: once the server span is there, OTLP has the trace too.
        var deadline = Stopwatch.StartNew();
        while (!harness.SpansOfTrace(call.TraceId).Any(s => s.SpanId == call.ParentSpanId))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "The server span of the erroring call was not exported.");
            await Task.Delay(20);
        }

        Assert.True(harness.GatewayServices.GetRequiredService<TracerProvider>().ForceFlush(10_000), dashboard.Output);

        var exported = await dashboard.WaitForSpanAsync(
            s => s.GetProperty("spanId").GetString() == call.SpanId.ToHexString(), resource: service, timeout: TimeSpan.FromSeconds(20));
        Assert.Equal($"chat {model}", exported.GetProperty("name").GetString());
        Assert.Equal("invalid_request", AspireDashboard.Attribute(exported, "ai.error.type"));
        using (var trace = await dashboard.GetTraceAsync(call.TraceId.ToHexString()))
        {
            var names = AspireDashboard.Spans(trace).Select(s => s.GetProperty("name").GetString()).ToList();
            Assert.Contains("upstream attempt", names);
            Assert.Contains(names, n => n!.StartsWith("POST", StringComparison.Ordinal));
        }

        var ordinaryTrace = ordinary.Headers.GetValues("traceresponse").Single().Substring(3, 32);
        using var notExported = await dashboard.GetTraceAsync(ordinaryTrace);
        Assert.Empty(AspireDashboard.Spans(notExported));
    }
}
