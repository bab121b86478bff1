using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream;

namespace Glassbox.Gateway.Tests.Auth;

/// <summary>
/// Inbound gateway keys: a caller presents its gateway key where its SDK puts an API key; the gateway
/// checks it, answers 401 in the caller's dialect when it is missing or wrong, and forwards the
/// upstream's key instead: the gateway key never reaches the upstream nor the telemetry.
/// </summary>
public sealed class GatewayKeyTests
{
    private const string TeamKey = "gk-team-a-4f0c9b2e7d1a";
    private const string OtherKey = "gk-team-b-8e2d61c0a9f3";
    private const string UpstreamKey = "sk-upstream-operator-key-55";

    private static readonly Dictionary<string, string?> GatewayMode = new()
    {
        ["Glassbox:Auth:Keys:0"] = TeamKey,
        ["Glassbox:Upstreams:Anthropic:ApiKey"] = UpstreamKey,
        ["Glassbox:Upstreams:OpenAI:ApiKey"] = UpstreamKey,
    };

    [Fact]
    public async Task Send_NoGatewayKey_401InTheCallersDialectAndUpstreamNeverCalled()
    {
        await using var harness = await GatewayHarness.StartAsync(GatewayMode);
        var stats = harness.SimulatorServices.GetRequiredService<SimulatorStats>();
        using var client = harness.CreateClient();

        using var anthropic = await client.SendAsync(Keyless(AiRequests.Post("v1/messages", "m", stream: false)));
        using var openai = await client.SendAsync(Keyless(AiRequests.Post("v1/chat/completions", "m", stream: true)));

        Assert.Equal(HttpStatusCode.Unauthorized, anthropic.StatusCode);
        using (var json = JsonDocument.Parse(await anthropic.Content.ReadAsStringAsync()))
        {
            Assert.Equal("authentication_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, openai.StatusCode);
        using (var json = JsonDocument.Parse(await openai.Content.ReadAsStringAsync()))
        {
            Assert.Equal("invalid_api_key", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal(0, stats.Requests);
    }

    [Fact]
    public async Task Send_WrongGatewayKey_401AndTheRejectionIsCounted()
    {
        await using var harness = await GatewayHarness.StartAsync(GatewayMode);
        var stats = harness.SimulatorServices.GetRequiredService<SimulatorStats>();
        using var client = harness.CreateClient();

        using var wrong = await client.SendAsync(AiRequests.Post("v1/messages", "m", stream: false, ("x-api-key", OtherKey)).WithKeyOnly("x-api-key", OtherKey));
        using var upstreamKeyItself = await client.SendAsync(AiRequests.Post("v1/responses", "m", stream: false).WithKeyOnly("Authorization", "Bearer " + UpstreamKey));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, upstreamKeyItself.StatusCode);
        Assert.Equal(0, stats.Requests);
        Assert.Equal(2, harness.CounterTotal("glassbox.auth.rejected"));
    }

    [Fact]
    public async Task Send_ValidGatewayKey_UpstreamGetsTheUpstreamKeyInsteadOnEveryRoute()
    {
        await using var echo = await HeaderRecordingUpstream.StartAsync();
        await using var harness = await GatewayHarness.StartAsync(GatewayMode, upstreamOverride: echo.Uri);
        using var client = harness.CreateClient();

        Assert.Equal((UpstreamKey, null), await echo.SendAsync(client, AiRequests.Post("v1/messages", "m", stream: false).WithKeyOnly("x-api-key", TeamKey)));
        // The Anthropic SDK's auth-token mode sends a bearer token.
        Assert.Equal((UpstreamKey, null), await echo.SendAsync(client, AiRequests.Post("v1/messages", "m", stream: false).WithKeyOnly("Authorization", "Bearer " + TeamKey)));
        Assert.Equal((null, "Bearer " + UpstreamKey), await echo.SendAsync(client, AiRequests.Post("v1/chat/completions", "m", stream: false).WithKeyOnly("Authorization", "Bearer " + TeamKey)));
        // A route the gateway does not observe still needs the gateway key, and still gets the upstream's.
        Assert.Equal((UpstreamKey, null), await echo.SendAsync(client, AiRequests.PostRaw("v1/messages/count_tokens", """{"model":"m","messages":[]}""").WithKeyOnly("x-api-key", TeamKey)));
    }

    [Fact]
    public async Task Send_ValidGatewayKey_SpanCarriesTheKeyIdAndNeverTheKey()
    {
        await using var harness = await GatewayHarness.StartAsync(GatewayMode);
        using var client = harness.CreateClient();
        var model = AiRequests.UniqueModel("keyid");

        using var response = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: true).WithKeyOnly("x-api-key", TeamKey));
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal(InlineKeyId(TeamKey), span.GetTagItem("glassbox.api_key.id"));
        var everything = string.Join("\n", harness.SpansOfTrace(span.TraceId).SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}")))
            + string.Join("\n", harness.Logs.Lines);
        Assert.DoesNotContain(TeamKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(UpstreamKey, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_HashedKeysFileRotated_NewKeyAcceptedOldKeyRejectedWithoutRestart()
    {
        var file = Path.Combine(Path.GetTempPath(), $"glassbox-keys-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, $"# id sha256\nteam-a {Sha256(TeamKey)}\n");
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Glassbox:Auth:KeysFile"] = file,
                ["Glassbox:Auth:KeysFileReloadInterval"] = "00:00:00.2",
                ["Glassbox:Upstreams:Anthropic:ApiKey"] = UpstreamKey,
            };
            await using var harness = await GatewayHarness.StartAsync(settings);
            using var client = harness.CreateClient();
            var model = AiRequests.UniqueModel("filekey");

            using (var before = await client.SendAsync(AiRequests.Post("v1/messages", model, stream: false).WithKeyOnly("x-api-key", TeamKey)))
            {
                Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            }

            Assert.Equal("team-a", (await harness.WaitForCallSpanAsync(model)).GetTagItem("glassbox.api_key.id"));
            await File.WriteAllTextAsync(file, $"team-b {Sha256(OtherKey)}\n");

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            HttpStatusCode oldKey, newKey;
            do
            {
                await Task.Delay(100);
                using var old = await client.SendAsync(AiRequests.Post("v1/messages", "m", stream: false).WithKeyOnly("x-api-key", TeamKey));
                using var rotated = await client.SendAsync(AiRequests.Post("v1/messages", "m", stream: false).WithKeyOnly("x-api-key", OtherKey));
                (oldKey, newKey) = (old.StatusCode, rotated.StatusCode);
            }
            while ((oldKey, newKey) != (HttpStatusCode.Unauthorized, HttpStatusCode.OK) && DateTime.UtcNow < deadline);

            Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (oldKey, newKey));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Send_HealthCheckWithoutKey_StillAnswers()
    {
        await using var harness = await GatewayHarness.StartAsync(GatewayMode);
        using var client = harness.CreateClient();

        using var response = await client.GetAsync(new Uri("healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal static string Sha256(string key) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string InlineKeyId(string key) => "key-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8];

    private static HttpRequestMessage Keyless(HttpRequestMessage request)
    {
        request.Headers.Remove("x-api-key");
        request.Headers.Authorization = null;
        return request;
    }
}

internal static class GatewayKeyRequests
{
    /// <summary>The request with no credential but this one.</summary>
    public static HttpRequestMessage WithKeyOnly(this HttpRequestMessage request, string header, string value)
    {
        request.Headers.Remove("x-api-key");
        request.Headers.Authorization = null;
        request.Headers.TryAddWithoutValidation(header, value);
        return request;
    }
}
