using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Glassbox.Gateway.Calls;
using Glassbox.Gateway.Configuration;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Glassbox.Gateway.Forwarding;

/// <summary>
/// YARP's HttpClient with DNS, TCP connect and TLS timed where they happen. The runtime's own
/// connection spans are separate linked roots; these timestamps put the phases inside the call's
/// waterfall instead. A connection is attributed to the request that caused it to be opened.
/// </summary>
internal sealed class PhaseTimingHttpClientFactory(TimeProvider time, IOptions<GlassboxOptions> options) : ForwarderHttpClientFactory
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        // No runtime propagation: it would start an HttpClient activity for every request and name that unexported span
        // as the upstream's parent. TraceContextHandler writes the attempt span's context instead.
        handler.ActivityHeadersPropagator = null;
        if (options.Value.Upstreams.GetValueOrDefault(context.ClusterId)?.TrustedCertificatePath is { Length: > 0 } path)
        {
            TrustOnly(handler, X509CertificateLoader.LoadCertificateFromFile(path));
        }

        handler.ConnectCallback = ConnectAsync;
        handler.PlaintextStreamFilter = (connection, _) =>
        {
            if (Phases(connection.InitialRequestMessage) is { } phases)
            {
                phases.ConnectionReady = time.GetTimestamp();
                phases.Tls = connection.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttps;
            }

            return ValueTask.FromResult(connection.PlaintextStream);
        };
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        new SentRequestRecorder(new TraceContextHandler(base.WrapHandler(context, handler)));

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext connection, CancellationToken cancellationToken)
    {
        var phases = Phases(connection.InitialRequestMessage);
        var endpoint = connection.DnsEndPoint;
        IPAddress[] addresses;
        if (IPAddress.TryParse(endpoint.Host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            phases?.DnsStarted = time.GetTimestamp();
            addresses = await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
            phases?.DnsEnded = time.GetTimestamp();
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            phases?.ConnectStarted = time.GetTimestamp();
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            phases?.ConnectEnded = time.GetTimestamp();
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Validates the upstream's chain against one extra root, as a private CA would be trusted.</summary>
    private static void TrustOnly(SocketsHttpHandler handler, X509Certificate2 root)
    {
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(root);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
    }

    /// <summary>
    /// Notes the request as the HttpClient sends it (final URI and method) for the attempt span, which carries the
    /// HTTP client attributes itself: the runtime's own HttpClient span, one per attempt, is not recorded.
    /// </summary>
    private sealed class SentRequestRecorder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Phases(request) is { } phases)
            {
                phases.SentRequest = request;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    private static AttemptPhases? Phases(HttpRequestMessage request) =>
        request.Options.TryGetValue(AttemptPhases.Key, out var phases) ? phases : null;
}
