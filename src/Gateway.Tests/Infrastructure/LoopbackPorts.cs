using System.Net;
using System.Net.Sockets;

namespace Glassbox.Gateway.Tests.Infrastructure;

internal static class LoopbackPorts
{
    /// <summary>A loopback port nothing listens on (bound, then released): connecting to it is refused.</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
