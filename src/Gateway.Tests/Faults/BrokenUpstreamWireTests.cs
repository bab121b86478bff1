using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.SimulatedUpstream.Hostile;

namespace Glassbox.Gateway.Tests.Faults;

/// <summary>
/// Upstreams broken below HTTP (docs/faults.md, "upstream"): a raw listener writes what no server library
/// would, and TLS upstreams present certificates that must not be trusted. The caller always gets an answer
/// in its dialect or the bytes the upstream sent, and the span names the failure.
/// </summary>
public sealed class BrokenUpstreamWireTests
{
    [Theory]
    [InlineData(HostileKind.MalformedStatus)]
    [InlineData(HostileKind.MalformedHeaders)]
    [InlineData(HostileKind.CloseBeforeHeaders)]
    public async Task Call_UpstreamBreaksBeforeValidHeaders_502InTheCallersDialect(HostileKind kind)
    {
        await using var raw = new RawHostileServer(kind);
        await using var harness = await GatewayHarness.StartAsync(NoRetries, upstreamOverride: raw.Uri);
        var model = AiRequests.UniqueModel("rawwire");

        var outcome = await SendAsync(harness, AiRequests.Post("v1/chat/completions", model, stream: false));

        Assert.Equal(502, outcome.Status);
        Assert.Contains("\"code\":\"upstream_unreachable\"", outcome.HeadText, StringComparison.Ordinal);
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal("upstream_unreachable", span.GetTagItem("ai.error.type"));
        Assert.Equal("gateway_error", span.GetTagItem("glassbox.end_reason"));
    }

    [Fact]
    public async Task Call_ContentLengthLongerThanTheBody_ClientGetsTheBytesSentSpanSaysInterrupted()
    {
        await using var raw = new RawHostileServer(HostileKind.ShortBody);
        await using var harness = await GatewayHarness.StartAsync(NoRetries, upstreamOverride: raw.Uri);
        var model = AiRequests.UniqueModel("rawshort");

        var outcome = await SendAsync(harness, AiRequests.Post("v1/messages", model, stream: false));

        // The response is aborted like the upstream's: the client may see the first bytes, or only the reset.
        Assert.False(outcome.EndedCleanly);
        Assert.True(outcome.Status == 0 || outcome.HeadText.StartsWith("{\"id\":\"msg_short\"", StringComparison.Ordinal), outcome.HeadText);
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal("upstream_interrupted", span.GetTagItem("glassbox.end_reason"));
        Assert.Equal("stream_interrupted", span.GetTagItem("ai.error.type"));
    }

    [Fact]
    public async Task Call_TlsUpstreamWithUntrustedCertificate_502AndNothingTrusted()
    {
        await using var harness = await GatewayHarness.StartAsync(new Dictionary<string, string?>(NoRetries)
        {
            // The simulator's self-signed certificate, not given to the gateway.
            ["Glassbox:Upstreams:Anthropic:TrustedCertificatePath"] = null,
        }, httpsUpstream: true);
        var model = AiRequests.UniqueModel("tlsuntrusted");

        var outcome = await SendAsync(harness, AiRequests.Post("v1/messages", model, stream: false));

        Assert.Equal(502, outcome.Status);
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal("upstream_unreachable", span.GetTagItem("ai.error.type"));
        Assert.Equal(0, harness.SimulatorServices.GetRequiredService<Glassbox.SimulatedUpstream.SimulatorStats>().Requests);
    }

    [Fact]
    public async Task Call_TlsUpstreamWithExpiredCertificate_502EvenThoughItsRootIsTrusted()
    {
        var (pfx, pem) = ExpiredCertificateFiles();
        await using var harness = await GatewayHarness.StartAsync(
            new Dictionary<string, string?>(NoRetries) { ["Glassbox:Upstreams:Anthropic:TrustedCertificatePath"] = pem },
            simulatorSettings: new Dictionary<string, string?> { ["Simulator:CertificatePath"] = pfx },
            httpsUpstream: true);
        var model = AiRequests.UniqueModel("tlsexpired");

        var outcome = await SendAsync(harness, AiRequests.Post("v1/messages", model, stream: false));

        Assert.Equal(502, outcome.Status);
        var span = await harness.WaitForCallSpanAsync(model);
        Assert.Equal("upstream_unreachable", span.GetTagItem("ai.error.type"));
        Assert.Equal(0, harness.SimulatorServices.GetRequiredService<Glassbox.SimulatedUpstream.SimulatorStats>().Requests);
    }

    private static Dictionary<string, string?> NoRetries => new()
    {
        ["Glassbox:Upstreams:Anthropic:Retry:MaxRetries"] = "0",
        ["Glassbox:Upstreams:OpenAI:Retry:MaxRetries"] = "0",
    };

    /// <summary>A localhost certificate that expired yesterday, as PKCS#12 for the simulator and PEM for the gateway's trust.</summary>
    private static (string Pfx, string Pem) ExpiredCertificateFiles()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-30), now.AddDays(-1));
        var stem = Path.Combine(Path.GetTempPath(), $"glassbox-expired-{Guid.NewGuid():N}");
        File.WriteAllBytes(stem + ".pfx", certificate.Export(X509ContentType.Pkcs12));
        File.WriteAllText(stem + ".pem", certificate.ExportCertificatePem());
        return (stem + ".pfx", stem + ".pem");
    }

    private static async Task<ClientOutcome> SendAsync(GatewayHarness harness, HttpRequestMessage request)
    {
        using var client = harness.CreateClient();
        return await ClientOutcome.SendAsync(client, request);
    }
}
