using System.Net;
using System.Text.Json;

namespace Glassbox.Gateway.Tests.SimulatedUpstream;

public sealed class FaultTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await SimulatorHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task StatusFault_Anthropic429_ErrorBodyAndRetryHeaders()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/messages", """{"model":"m","stream":true}""", true,
            ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-retry-after", "7"),
            ("x-sim-retry-after-ms", "6500"), ("x-sim-should-retry", "true"), ("x-sim-id", "E1"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal("6500", response.Headers.GetValues("retry-after-ms").Single());
        Assert.Equal("true", response.Headers.GetValues("x-should-retry").Single());
        Assert.Equal("0", response.Headers.GetValues("anthropic-ratelimit-requests-remaining").Single());
        Assert.Equal(
            """{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization."},"request_id":"req_E1"}""",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(500, "api_error")]
    [InlineData(529, "overloaded_error")]
    [InlineData(413, "request_too_large")]
    public async Task StatusFault_AnthropicStatus_DialectErrorType(int status, string type)
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/messages", """{"model":"m"}""", true, ("x-sim-fault", "status"), ("x-sim-status", $"{status}"));

        using var response = await client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(type, root.GetProperty("error").GetProperty("type").GetString());
        Assert.StartsWith("req_", root.GetProperty("request_id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusFault_OpenAI503_ErrorObjectAndRetryAfter()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/chat/completions", """{"model":"m","stream":true}""", true,
            ("x-sim-fault", "status"), ("x-sim-status", "503"), ("x-sim-retry-after", "1"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
    }

    [Fact]
    public async Task FailTimes_TwoForScenario_FirstTwoFailThenSucceed()
    {
        using var client = _host.CreateClient();
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            using var request = SimulatorHost.Post("v1/messages", """{"model":"m"}""", true,
                ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-fail-times", "2"), ("x-sim-scenario", "retry-1"));
            using var response = await client.SendAsync(request);
            statuses.Add((int)response.StatusCode);
        }

        using var other = SimulatorHost.Post("v1/messages", """{"model":"m"}""", true,
            ("x-sim-fault", "status"), ("x-sim-status", "429"), ("x-sim-fail-times", "1"), ("x-sim-scenario", "retry-2"));
        using var otherResponse = await client.SendAsync(other);
        var stats = await client.GetStringAsync(new Uri("_sim/stats?scenario=retry-1", UriKind.Relative));

        Assert.Equal([429, 429, 200, 200], statuses);
        Assert.Equal(429, (int)otherResponse.StatusCode);
        Assert.Equal(4, _host.Stats.ScenarioAttempts("retry-1"));
        Assert.Equal(4, JsonDocument.Parse(stats).RootElement.GetProperty("attempts").GetInt32());
    }

    [Theory]
    [InlineData("v1/messages", "text_delta")]
    [InlineData("v1/chat/completions", "\"content\":\"word")]
    [InlineData("v1/responses", "response.output_text.delta")]
    public async Task ResetFault_AfterOneDelta_ClientReadThrowsIOException(string path, string deltaMarker)
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post(path, """{"model":"m","stream":true}""", true,
            ("x-sim-fault", "reset"), ("x-sim-fault-after", "1"), ("x-sim-deltas", "3"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<string>();

        var error = await Record.ExceptionAsync(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
                lines.Add(line);
        });

        Assert.IsAssignableFrom<IOException>(error);
        Assert.Single(lines, l => l.Contains(deltaMarker, StringComparison.Ordinal) && l.StartsWith("data:", StringComparison.Ordinal));
        Assert.Equal(1, await _host.WaitForAsync(s => s.Resets, n => n == 1));
    }

    [Theory]
    [InlineData("v1/messages", "event: error", """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""")]
    [InlineData("v1/chat/completions", null, """{"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}""")]
    public async Task ErrorEventFault_AfterOneDelta_StreamEndsWithDialectError(string path, string? eventLine, string data)
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post(path, """{"model":"m","stream":true}""", true,
            ("x-sim-fault", "error-event"), ("x-sim-fault-after", "1"), ("x-sim-deltas", "3"));

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.EndsWith((eventLine is null ? "" : eventLine + "\n") + "data: " + data + "\n\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("word1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorEventFault_Responses_EndsWithResponseFailed()
    {
        using var client = _host.CreateClient();
        using var request = SimulatorHost.Post("v1/responses", """{"model":"m","stream":true}""", true,
            ("x-sim-fault", "error-event"), ("x-sim-fault-after", "2"), ("x-sim-deltas", "3"));

        var body = await (await client.SendAsync(request)).Content.ReadAsStringAsync();

        var last = SseTestReader.DataJson(body)[^1];
        Assert.Equal("response.failed", last.GetProperty("type").GetString());
        Assert.Equal(6, last.GetProperty("sequence_number").GetInt32());
        Assert.Equal("failed", last.GetProperty("response").GetProperty("status").GetString());
        Assert.Equal("server_error", last.GetProperty("response").GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task StallFault_ClientCancelsRead_CountedAbortedAndNotActive()
    {
        using var client = _host.CreateClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 });
        using var request = SimulatorHost.Post("v1/messages", """{"model":"m","stream":true}""", true,
            ("x-sim-fault", "stall"), ("x-sim-fault-after", "1"), ("x-sim-deltas", "3"));
        using var cts = new CancellationTokenSource();
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        while (await reader.ReadLineAsync(cts.Token) is { } line && !line.Contains("text_delta", StringComparison.Ordinal))
        {
        }

        Assert.Equal(1, _host.Stats.Active);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await reader.ReadLineAsync(cts.Token) is not null)
            {
            }
        });
        reader.Dispose();
        response.Dispose();

        Assert.Equal(0, await _host.WaitForAsync(s => s.Active, n => n == 0));
        Assert.Equal(1, _host.Stats.Aborted);
        Assert.Equal(0, _host.Stats.Completed);
        Assert.Equal(1, _host.Stats.Requests);
    }
}
