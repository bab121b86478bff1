using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Glassbox.Gateway.Tests.Infrastructure;

public sealed class AspireDashboardTests
{
    [Fact]
    public async Task Span_SentOverOtlpGrpc_IsServedBackByTheTelemetryApi()
    {
        await using var dashboard = await AspireDashboard.StartAsync();
        var serviceName = $"glassbox-smoke-{Guid.NewGuid():N}";
        using var source = new ActivitySource(serviceName);

        string traceId;
        using (var provider = Sdk.CreateTracerProviderBuilder()
                   .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(serviceName))
                   .AddSource(serviceName)
                   .AddOtlpExporter(o =>
                   {
                       o.Endpoint = dashboard.OtlpGrpcEndpoint;
                       o.Protocol = OtlpExportProtocol.Grpc;
                   })
                   .Build())
        {
            using (var activity = source.StartActivity("glassbox.smoke", ActivityKind.Client))
            {
                Assert.NotNull(activity);
                activity.SetTag("glassbox.test", "smoke");
                traceId = activity.TraceId.ToHexString();
            }

            Assert.True(provider.ForceFlush(10_000), "The OTLP exporter did not flush.\n" + dashboard.Output);
        }

        var span = await dashboard.WaitForSpanAsync(
            s => s.GetProperty("traceId").GetString() == traceId, resource: serviceName, timeout: TimeSpan.FromSeconds(20));

        Assert.Equal("glassbox.smoke", span.GetProperty("name").GetString());
        Assert.Equal(3, span.GetProperty("kind").GetInt32()); // OTLP SPAN_KIND_CLIENT
        Assert.Equal("smoke", AspireDashboard.Attribute(span, "glassbox.test"));

        using var trace = await dashboard.GetTraceAsync(traceId);
        var only = Assert.Single(AspireDashboard.Spans(trace));
        Assert.Equal(span.GetProperty("spanId").GetString(), only.GetProperty("spanId").GetString());

        using var unknown = await dashboard.GetTracesAsync($"no-such-service-{Guid.NewGuid():N}");
        Assert.Empty(AspireDashboard.Spans(unknown));
    }
}
