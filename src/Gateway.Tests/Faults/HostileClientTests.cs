using System.Net;
using System.Text;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream;

namespace Glassbox.Gateway.Tests.Faults;

/// <summary>
/// Clients that send what a careful server must refuse or survive (docs/faults.md, "client"). Raw sockets
/// where HttpClient cannot produce the input. Nothing half-read or ambiguous is ever forwarded.
/// </summary>
public sealed class HostileClientTests : IAsyncLifetime
{
    private const string AnthropicHead = "POST /v1/messages HTTP/1.1\r\nHost: gateway\r\nx-api-key: " + AiRequests.ApiKey
        + "\r\nanthropic-version: 2023-06-01\r\nContent-Type: application/json\r\n";

    private GatewayHarness _harness = null!;

    private SimulatorStats Stats => _harness.SimulatorServices.GetRequiredService<SimulatorStats>();

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>
    {
        // Kestrel's own limits, shortened so the trickle cases finish quickly (defaults: 30 s, 240 B/s after 5 s).
        ["Kestrel:Limits:RequestHeadersTimeout"] = "00:00:02",
    });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Send_Expect100Continue_ForwardedAndAnswered()
    {
        var model = AiRequests.UniqueModel("expect");
        using var client = _harness.CreateClient();
        var request = AiRequests.Post("v1/messages", model, stream: false);
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(model, (await _harness.WaitForCallSpanAsync(model)).GetTagItem("gen_ai.request.model"));
    }

    [Fact]
    public async Task Send_BodyTrickledAByteASecond_CutByTheMinimumRateNothingForwarded()
    {
        using var raw = await RawClient.ConnectAsync(_harness.GatewayUri);
        var body = AiRequests.Body("v1/messages", "trickle", stream: false);
        await raw.SendAsync(AnthropicHead + $"Content-Length: {body.Length}\r\n\r\n");

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var sent = await raw.TrickleAsync(body, TimeSpan.FromSeconds(1), cancel.Token);
        var answer = await raw.ReceiveAsync(TimeSpan.FromSeconds(5));

        Assert.True(sent < body.Length, "the gateway must stop reading a body that arrives at 1 B/s");
        Assert.DoesNotContain("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.Equal(0, Stats.Requests);
    }

    [Fact]
    public async Task Send_HeadersTrickled_408AfterTheHeadersTimeoutNothingForwarded()
    {
        using var raw = await RawClient.ConnectAsync(_harness.GatewayUri);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        var sent = await raw.TrickleAsync(AnthropicHead + "Content-Length: 2\r\n\r\n{}", TimeSpan.FromMilliseconds(500), cancel.Token);
        var answer = await raw.ReceiveAsync(TimeSpan.FromSeconds(5));

        Assert.True(sent < AnthropicHead.Length, $"sent {sent} of {AnthropicHead.Length} header bytes before the cut");
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer);
        Assert.Equal(0, Stats.Requests);
    }

    [Fact]
    public async Task Send_SixtyFourKilobyteHeader_431NothingForwarded()
    {
        using var client = _harness.CreateClient();
        var request = AiRequests.Post("v1/messages", AiRequests.UniqueModel("bighead"), stream: false, ("x-padding", new string('p', 64 * 1024)));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Equal(0, Stats.Requests);
    }

    [Fact]
    public async Task Send_ContentLengthAndTransferEncoding_NoSecondRequestSmuggled()
    {
        using var raw = await RawClient.ConnectAsync(_harness.GatewayUri);
        var body = AiRequests.Body("v1/messages", "smuggle-outer", stream: false);
        var smuggled = AnthropicHead + "Content-Length: 2\r\nx-sim-fault: status\r\n\r\n{}";
        var chunked = $"{Encoding.UTF8.GetByteCount(body):x}\r\n{body}\r\n0\r\n\r\n";
        // A front end honouring Content-Length would see the chunked body plus a smuggled request after it.
        await raw.SendAsync(AnthropicHead + $"Content-Length: {chunked.Length - 5}\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked + smuggled);

        var answer = await raw.ReceiveAsync(TimeSpan.FromSeconds(10), until: "\r\n0\r\n\r\n");

        Assert.True(Stats.Requests <= 1, $"{Stats.Requests} requests reached the upstream");
        Assert.DoesNotContain("api_error", answer, StringComparison.Ordinal); // the smuggled fault request was never served
    }

    [Fact]
    public async Task Send_TwoDifferentContentLengths_400NothingForwarded()
    {
        using var raw = await RawClient.ConnectAsync(_harness.GatewayUri);
        await raw.SendAsync(AnthropicHead + "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}");

        var answer = await raw.ReceiveAsync(TimeSpan.FromSeconds(10), until: "\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Equal(0, Stats.Requests);
    }

    [Fact]
    public async Task Send_JsonNestedTenThousandDeep_400InTheCallersDialectNothingForwarded()
    {
        using var client = _harness.CreateClient();
        var body = "{\"model\":\"deep\",\"messages\":" + new string('[', 10_000) + new string(']', 10_000) + "}";

        using var response = await client.SendAsync(AiRequests.PostRaw("v1/messages", body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"type\":\"invalid_request_error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, Stats.Requests);
    }

    [Fact]
    public async Task Send_InvalidUtf8InsideJsonStrings_ForwardedTheUpstreamJudgesIt()
    {
        using var client = _harness.CreateClient();
        var prefix = "{\"model\":\"utf8-"u8.ToArray();
        byte[] body = [.. prefix, 0xC3, 0x28, .. "\",\"max_tokens\":8,\"x-marker\":\"bad-utf8-call\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"u8.ToArray()];
        var request = AiRequests.PostRaw("v1/messages", "{}");
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new("application/json");

        using var response = await client.SendAsync(request);

        // Forwarded unchanged; the simulated upstream refuses it as the providers do (400 in its dialect).
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, Stats.Requests);
        var span = await _harness.CallSpanOfAsync(response);
        Assert.Null(span.GetTagItem("gen_ai.request.model"));
    }

    [Fact]
    public async Task Send_LoneSurrogateEscapeInAPropertyName_ForwardedNot500()
    {
        var model = AiRequests.UniqueModel("surrogate");
        using var client = _harness.CreateClient();

        using var response = await client.SendAsync(AiRequests.PostRaw("v1/messages",
            $$"""{"model":"{{model}}","max_tokens":8,"messag\ud800es":[{"role":"user","content":"hi"}]}"""));

        // Forwarded and answered (the request reader used to throw here: a 500 from the gateway).
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(model, (await _harness.WaitForCallSpanAsync(model)).GetTagItem("gen_ai.request.model"));
    }

    [Fact]
    public async Task Send_HundredKilobyteModel_ForwardedSpanNameAndAttributeCapped()
    {
        var model = "big-" + new string('m', 100 * 1024);
        using var client = _harness.CreateClient();

        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = await _harness.CallSpanOfAsync(response);
        var recorded = (string)span.GetTagItem("gen_ai.request.model")!;
        Assert.Equal(Glassbox.Gateway.Telemetry.TelemetryText.MaxNameChars, recorded.Length);
        Assert.True(span.DisplayName.Length < 300, $"span name of {span.DisplayName.Length} chars");
    }

    [Fact]
    public async Task Send_ModelWithControlCharacters_NoControlCharacterInSpanOrLogLine()
    {
        const string model = "ctl-model\r\n[AiCall] forged line\u001b[31m";
        using var client = _harness.CreateClient();

        using var response = await client.SendAsync(AiRequests.PostRaw("v1/messages",
            """{"model":"ctl-model\r\n[AiCall] forged line\u001b[31m","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = await _harness.CallSpanOfAsync(response);
        Assert.DoesNotContain((string)span.GetTagItem("gen_ai.request.model")!, char.IsControl);
        Assert.DoesNotContain(span.DisplayName, char.IsControl);
        Assert.DoesNotContain(_harness.Logs.Lines, line => line.Contains(model, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Send_StreamAsAString_ForwardedAsNotStreaming()
    {
        var model = AiRequests.UniqueModel("streamstr");
        using var client = _harness.CreateClient();

        using var response = await client.SendAsync(AiRequests.PostRaw("v1/messages",
            $$"""{"model":"{{model}}","stream":"true","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}"""));

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        var span = await _harness.WaitForCallSpanAsync(model);
        Assert.Equal(false, span.GetTagItem("gen_ai.request.stream"));
        Assert.Equal(1, Stats.Requests);
    }
}
