using System.Net;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The proxy settings wget and curl users already have: <c>http_proxy</c>, <c>https_proxy</c>
/// (each also upper-case), <c>all_proxy</c> as a fallback, and <c>no_proxy</c> (a comma-separated
/// list of host names or domain suffixes, or <c>*</c>). Credentials in a proxy URL
/// (<c>http://user:pass@proxy:3128</c>) answer the proxy's challenge.
/// <para>
/// .NET's own default proxy reads the same variables, but only once per process. The variables
/// are read here at every request instead, because MSBuild keeps its worker nodes alive between
/// builds and hands each build its own environment; it also lets a test give its own variables.
/// </para>
/// </summary>
internal sealed class EnvironmentProxy : IWebProxy
{
    private readonly Func<string, string?> _variable;

    public EnvironmentProxy(Func<string, string?> variable)
    {
        _variable = variable;
        Credentials = new ProxyUrlCredentials(this);
    }

    /// <summary>Answers a proxy's authentication challenge with the user info of its URL.</summary>
    public ICredentials? Credentials { get; set; }

    public Uri? GetProxy(Uri destination) => ProxyFor(destination) is { } proxy ? WithoutUserInfo(proxy) : null;

    public bool IsBypassed(Uri host) => ProxyFor(host) is null;

    /// <summary>
    /// Why the proxy for <paramref name="destination"/> cannot be used, or null: .NET's handler
    /// speaks only http, https, socks4, socks4a and socks5 proxies, and would throw a bare
    /// <see cref="NotSupportedException"/> for any other (it cannot be told from here: an
    /// exception out of <see cref="GetProxy"/> makes it connect directly instead).
    /// </summary>
    public string? Refusal(Uri destination) =>
        ProxyFor(destination) is { Scheme: not ("http" or "https" or "socks4" or "socks4a" or "socks5") } proxy
            ? $"the proxy {WithoutUserInfo(proxy)}, which the environment gives for {destination.Scheme} URLs ({destination.Scheme}_proxy or all_proxy), is not an http, https, socks4, socks4a, socks5 or socks5h proxy"
            : null;

    private Uri? ProxyFor(Uri destination)
    {
        Uri? proxy = destination.Scheme.ToLowerInvariant() switch
        {
            "http" => Setting("http_proxy") ?? Setting("all_proxy"),
            "https" => Setting("https_proxy") ?? Setting("all_proxy"),
            _ => null,
        };
        return proxy is not null && !IsExcluded(destination.IdnHost) ? proxy : null;
    }

    private Uri? Setting(string name)
    {
        string? value = _variable(name) is { Length: > 0 } lower ? lower : _variable(name.ToUpperInvariant());
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        // wget and curl accept "proxy:3128" without a scheme and mean http.
        value = value.Trim();
        string withScheme = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out Uri? proxy))
        {
            return null;
        }

        // curl's socks5h has the proxy resolve the host name: what .NET's socks5 does (it sends the name).
        return proxy.Scheme == "socks5h" ? new UriBuilder(proxy) { Scheme = "socks5" }.Uri : proxy;
    }

    private bool IsExcluded(string host)
    {
        string? list = _variable("no_proxy") is { Length: > 0 } lower ? lower : _variable("NO_PROXY");
        if (string.IsNullOrWhiteSpace(list))
        {
            return false;
        }

        host = host.Trim('[', ']');
        foreach (string raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
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

    private static Uri WithoutUserInfo(Uri proxy) =>
        proxy.UserInfo.Length == 0 ? proxy : new UriBuilder(proxy) { UserName = string.Empty, Password = string.Empty }.Uri;

    private NetworkCredential? CredentialFor(Uri proxy)
    {
        foreach (string name in new[] { "http_proxy", "https_proxy", "all_proxy" })
        {
            if (Setting(name) is { UserInfo.Length: > 0 } configured &&
                configured.Host.Equals(proxy.Host, StringComparison.OrdinalIgnoreCase) &&
                configured.Port == proxy.Port)
            {
                string[] parts = configured.UserInfo.Split(':', 2);
                return new NetworkCredential(
                    Uri.UnescapeDataString(parts[0]),
                    parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
            }
        }

        return null;
    }

    private sealed class ProxyUrlCredentials(EnvironmentProxy owner) : ICredentials
    {
        public NetworkCredential? GetCredential(Uri uri, string authType) => owner.CredentialFor(uri);
    }
}
