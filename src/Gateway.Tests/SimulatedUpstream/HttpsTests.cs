using Glassbox.SimulatedUpstream;
using Microsoft.Extensions.DependencyInjection;

namespace Glassbox.Gateway.Tests.SimulatedUpstream;

public sealed class HttpsTests
{
    [Fact]
    public async Task SelfSignedHttps_ClientTrustsExposedCertificate_Serves()
    {
        await using var host = await SimulatorHost.StartAsync(b => b.Configuration["Simulator:SelfSignedHttps"] = "true", "https");
        var certificate = host.App.Services.GetRequiredService<SimulatorCertificate>().Certificate;
        Assert.NotNull(certificate);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.GetCertHashString();
        using var client = host.CreateClient(handler);
        using var request = SimulatorHost.Post("v1/messages/count_tokens", """{"model":"m"}""");

        using var response = await client.SendAsync(request);

        Assert.Equal("https", host.BaseAddress.Scheme);
        Assert.Equal("""{"input_tokens":25}""", await response.Content.ReadAsStringAsync());
    }
}
