using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Glassbox.SimulatedUpstream;

/// <summary>
/// The server certificate used for <c>https://</c> URLs, or null when HTTPS is not configured
/// (<c>Simulator:CertificatePath</c>/<c>CertificatePassword</c>, or <c>Simulator:SelfSignedHttps=true</c>).
/// Tests resolve it from <c>app.Services</c> to trust exactly this certificate.
/// </summary>
public sealed class SimulatorCertificate : IDisposable
{
    public SimulatorCertificate(IOptions<SimulatorOptions> options)
    {
        var o = options.Value;
        if (!string.IsNullOrEmpty(o.CertificatePath))
            Certificate = X509CertificateLoader.LoadPkcs12FromFile(o.CertificatePath, o.CertificatePassword);
        else if (o.SelfSignedHttps)
            Certificate = CreateSelfSigned();
    }

    public X509Certificate2? Certificate { get; }

    public void Dispose() => Certificate?.Dispose();

    private static X509Certificate2 CreateSelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }
}
