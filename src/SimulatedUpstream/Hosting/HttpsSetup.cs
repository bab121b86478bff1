using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Glassbox.SimulatedUpstream.Hosting;

/// <summary>Makes <c>https://</c> URLs (e.g. <c>--urls https://127.0.0.1:0</c>) use the simulator's certificate.</summary>
internal static class HttpsSetup
{
    public static void Apply(KestrelServerOptions kestrel) =>
        kestrel.ConfigureHttpsDefaults(https =>
        {
            var certificate = kestrel.ApplicationServices.GetRequiredService<SimulatorCertificate>().Certificate;
            if (certificate is not null)
                https.ServerCertificate = certificate;
        });
}
