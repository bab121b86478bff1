using System.Net;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Ingress;

/// <summary>The parsed <see cref="TrustedProxiesOptions.KnownNetworks"/>: is a peer one of our proxies?</summary>
internal sealed class KnownNetworks
{
    private readonly IPNetwork[] _networks;

    public KnownNetworks(IOptions<TrustedProxiesOptions> options)
    {
        // Validated at start-up (TrustedProxiesOptionsValidator): every entry parses.
        _networks = [.. Entries(options.Value).Select(entry => TryParse(entry, out var network) ? network : throw new FormatException(entry))];
    }

    public bool Contains(IPAddress address)
    {
        var normalised = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in _networks)
        {
            if (network.Contains(normalised))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every CIDR of the setting, comma-separated lists split, blanks dropped.</summary>
    public static IEnumerable<string> Entries(TrustedProxiesOptions options) =>
        (options.KnownNetworks ?? TrustedProxiesOptions.DefaultKnownNetworks)
            .Where(entry => entry is not null)
            .SelectMany(entry => entry.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>A CIDR range, or a bare address meaning that one host.</summary>
    public static bool TryParse(string entry, out IPNetwork network)
    {
        if (entry.Contains('/', StringComparison.Ordinal))
        {
            return IPNetwork.TryParse(entry, out network);
        }

        if (IPAddress.TryParse(entry, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        network = default;
        return false;
    }
}
