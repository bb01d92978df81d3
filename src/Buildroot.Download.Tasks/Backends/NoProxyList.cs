using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The hosts <c>no_proxy</c> (or <c>NO_PROXY</c>) sends directly, as curl reads it: a
/// comma-separated list of host names or domain suffixes (<c>example.com</c> and
/// <c>.example.com</c> both cover example.com and its subdomains), <c>*</c> for every host, an
/// optional <c>:port</c> ignored, and, as curl since 7.86, address ranges in CIDR notation
/// (<c>10.0.0.0/8</c>, <c>fd00::/8</c>) that cover a host written as an IP address of that range.
/// A name is never resolved to match a range, as in curl.
/// </summary>
internal static class NoProxyList
{
    /// <summary>True when <paramref name="list"/> sends <paramref name="host"/> (a name, or an address, IPv6 with or without brackets) directly.</summary>
    public static bool Covers(string list, string host)
    {
        host = host.Trim('[', ']');
        IPAddress? address = IPAddress.TryParse(host, out IPAddress? parsed) ? parsed : null;
        foreach (string raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (address is not null && TryParseRange(raw, out IPAddress? network, out int prefixLength))
            {
                if (InRange(address, network, prefixLength))
                {
                    return true;
                }

                continue;
            }

            string entry = HostOf(raw);
            if (entry == "*")
            {
                return true;
            }

            // "example.com" and ".example.com" both cover example.com and its subdomains, as in curl.
            string domain = entry.TrimStart('*').TrimStart('.');
            if (domain.Length > 0 &&
                (host.Equals(domain, StringComparison.OrdinalIgnoreCase) ||
                 host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An entry <c>address/bits</c>: a dotted quad or an IPv6 address, and a prefix length the
    /// address family allows. An entry that only looks like one (<c>10.0.0.0/33</c>) covers nothing, as in curl.
    /// </summary>
    private static bool TryParseRange(string entry, out IPAddress network, out int prefixLength)
    {
        network = IPAddress.None;
        prefixLength = 0;
        int slash = entry.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0
            || !int.TryParse(entry.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength)
            || !IPAddress.TryParse(entry.AsSpan(0, slash).Trim("[]"), out IPAddress? parsed))
        {
            return false;
        }

        // IPAddress also reads "10" and "10.1" as IPv4 addresses; a range is written as a dotted quad.
        bool isDottedQuad = parsed.AddressFamily == AddressFamily.InterNetwork && entry.AsSpan(0, slash).Count('.') == 3;
        network = parsed;
        return isDottedQuad || parsed.AddressFamily == AddressFamily.InterNetworkV6;
    }

    private static bool InRange(IPAddress address, IPAddress network, int prefixLength)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        byte[] a = address.GetAddressBytes();
        byte[] n = network.GetAddressBytes();
        if (prefixLength > a.Length * 8)
        {
            return false;
        }

        int whole = prefixLength / 8;
        int rest = prefixLength % 8;
        if (!a.AsSpan(0, whole).SequenceEqual(n.AsSpan(0, whole)))
        {
            return false;
        }

        int mask = (0xFF << (8 - rest)) & 0xFF;
        return rest == 0 || (a[whole] & mask) == (n[whole] & mask);
    }

    /// <summary>An entry without its port (<c>host:8080</c>) or IPv6 brackets (<c>[::1]</c>).</summary>
    private static string HostOf(string entry)
    {
        if (entry.StartsWith('['))
        {
            int close = entry.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? entry[1..close] : entry;
        }

        int colon = entry.LastIndexOf(':');
        return colon > 0 && entry.IndexOf(':', StringComparison.Ordinal) == colon && entry[(colon + 1)..].All(char.IsAsciiDigit)
            ? entry[..colon]
            : entry;
    }
}
