using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Telemetry;

/// <summary>The per-call log line names a trace only when there is one to look at.</summary>
public sealed class CallLogLineTests
{
    [Fact]
    public async Task Send_WithExportOn_LogLineNamesTheTraceOfTheTraceresponseHeader()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var model = "log-traced-" + Guid.NewGuid().ToString("N")[..8];
        using var client = harness.CreateClient();

        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true));
        await response.Content.ReadAsByteArrayAsync();

        var traceId = response.Headers.GetValues("traceresponse").Single().Substring(3, 32);
        var line = await WaitForLineAsync(harness, model);
        Assert.Matches($"trace \"?{traceId}", line);
    }

    private static async Task<string> WaitForLineAsync(GatewayHarness harness, string model)
    {
        for (var i = 0; i < 500; i++)
        {
            // The formatted message, without the structured values the capture appends after it.
            var line = harness.Logs.Lines.FirstOrDefault(l => l.Contains("[AiCall", StringComparison.Ordinal) && l.Contains(model, StringComparison.Ordinal));
            if (line is not null)
            {
                var message = line[(line.IndexOf(']', StringComparison.Ordinal) + 1)..];
                return message[..message.IndexOf(" Route=", StringComparison.Ordinal)];
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"No AI call log line for {model}.");
    }
}
