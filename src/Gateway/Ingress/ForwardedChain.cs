using System.Net;
using Microsoft.Extensions.Primitives;

namespace Glassbox.Gateway.Ingress;

/// <summary>
/// Reads who the client is from <c>Forwarded</c> (RFC 7239) or, when that is absent, <c>X-Forwarded-For</c> /
/// <c>X-Forwarded-Proto</c>. Only hops from known proxies are believed: starting at the TCP peer and walking the
/// list from the right, each address is accepted while the hop that reported it is a known proxy.
/// Reads the headers; never changes them.
/// </summary>
internal static class ForwardedChain
{
    public const string ForwardedHeader = "Forwarded";
    public const string ForwardedForHeader = "X-Forwarded-For";
    public const string ForwardedProtoHeader = "X-Forwarded-Proto";

    /// <summary>The client's address and the scheme it used, as far as the known proxies vouch for them.</summary>
    public static (string? Address, string? Scheme) Resolve(IPAddress? peer, IHeaderDictionary headers, KnownNetworks known)
    {
        if (peer is null)
        {
            return (null, null);
        }

        var client = peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer;
        if (!known.Contains(client))
        {
            return (client.ToString(), null);
        }

        var hops = Hops(headers);
        string? scheme = null;
        for (var i = hops.Count - 1; i >= 0 && known.Contains(client); i--)
        {
            if (!TryParseNode(hops[i].For, out var address))
            {
                break; // "unknown", an obfuscated name or garbage: nothing further left can be believed
            }

            client = address;
            scheme = hops[i].Proto ?? scheme;
        }

        return (client.ToString(), scheme);
    }

    private static List<(string? For, string? Proto)> Hops(IHeaderDictionary headers)
    {
        var hops = new List<(string? For, string? Proto)>();
        if (headers.TryGetValue(ForwardedHeader, out var forwarded))
        {
            foreach (var element in Split(forwarded, ','))
            {
                string? node = null, proto = null;
                foreach (var pair in element.Split(';', StringSplitOptions.TrimEntries))
                {
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        continue;
                    }

                    var key = pair[..equals].Trim();
                    var value = pair[(equals + 1)..].Trim().Trim('"');
                    if (key.Equals("for", StringComparison.OrdinalIgnoreCase))
                    {
                        node = value;
                    }
                    else if (key.Equals("proto", StringComparison.OrdinalIgnoreCase))
                    {
                        proto = value;
                    }
                }

                hops.Add((node, proto));
            }

            return hops;
        }

        var protos = headers.TryGetValue(ForwardedProtoHeader, out var p) ? Split(p, ',') : [];
        var fors = headers.TryGetValue(ForwardedForHeader, out var f) ? Split(f, ',') : [];
        // Proxies append to both lists together; align them from the right.
        for (var i = 0; i < fors.Count; i++)
        {
            var protoIndex = protos.Count - fors.Count + i;
            hops.Add((fors[i], protoIndex >= 0 ? protos[protoIndex] : null));
        }

        return hops;
    }

    private static List<string> Split(StringValues values, char separator)
    {
        var parts = new List<string>();
        foreach (var value in values)
        {
            if (value is not null)
            {
                parts.AddRange(value.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            }
        }

        return parts;
    }

    /// <summary>An address with or without port: <c>192.0.2.1</c>, <c>192.0.2.1:4711</c>, <c>[2001:db8::1]:4711</c>, <c>2001:db8::1</c>.</summary>
    internal static bool TryParseNode(string? node, out IPAddress address)
    {
        address = IPAddress.None;
        if (string.IsNullOrEmpty(node))
        {
            return false;
        }

        var text = node.AsSpan();
        if (text[0] == '[')
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            text = text[1..close];
        }
        else if (text.IndexOf(':') is var colon and >= 0 && text.LastIndexOf(':') == colon)
        {
            text = text[..colon]; // IPv4 with a port
        }

        if (!IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        address = parsed.IsIPv4MappedToIPv6 ? parsed.MapToIPv4() : parsed;
        return true;
    }
}
