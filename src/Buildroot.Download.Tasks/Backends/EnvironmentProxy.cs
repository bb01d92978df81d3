using System.Net;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The proxy settings wget and curl users already have: <c>http_proxy</c>, <c>https_proxy</c>
/// (each also upper-case), <c>all_proxy</c> as a fallback (<see cref="ProxySetting"/>), and
/// <c>no_proxy</c> (<see cref="NoProxyList"/>). Credentials in a proxy URL
/// (<c>http://user:pass@proxy:3128</c>) answer the proxy's challenge.
/// <para>
/// .NET's own default proxy reads the same variables, but only once per process. The variables
/// are read here at every request instead, because MSBuild keeps its worker nodes alive between
/// builds and hands each build its own environment; it also lets a test give its own variables.
/// </para>
/// </summary>
internal sealed class EnvironmentProxy : IWebProxy
{
    private static readonly string[] Variables = ["http_proxy", "https_proxy", "all_proxy"];

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
    /// Throws <see cref="MessageCodes.InvalidProxySetting"/> when the variable a request to
    /// <paramref name="destination"/> would use is not a usable proxy. Call it before each request:
    /// .NET's handler takes an exception out of <see cref="GetProxy"/> for "no proxy" and connects
    /// directly, which is what a broken proxy setting must never do.
    /// </summary>
    public void Check(Uri destination) => _ = ProxyFor(destination);

    private Uri? ProxyFor(Uri destination)
    {
        string? name = destination.Scheme.ToLowerInvariant() switch
        {
            "http" => "http_proxy",
            "https" => "https_proxy",
            _ => null,
        };
        if (name is null || IsExcluded(destination.IdnHost))
        {
            return null;
        }

        return ProxySetting.Read(name, _variable) ?? ProxySetting.Read("all_proxy", _variable);
    }

    private bool IsExcluded(string host)
    {
        string? list = _variable("no_proxy") is { Length: > 0 } lower ? lower : _variable("NO_PROXY");
        return !string.IsNullOrWhiteSpace(list) && NoProxyList.Covers(list, host);
    }

    private static Uri WithoutUserInfo(Uri proxy) =>
        proxy.UserInfo.Length == 0 ? proxy : new UriBuilder(proxy) { UserName = string.Empty, Password = string.Empty }.Uri;

    private NetworkCredential? CredentialFor(Uri proxy)
    {
        foreach (string name in Variables)
        {
            if (ReadOrNull(name) is { UserInfo.Length: > 0 } configured &&
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

    /// <summary>A variable's proxy, null when it is not set or not usable (a request that uses it was refused by <see cref="Check"/>).</summary>
    private Uri? ReadOrNull(string name)
    {
        try
        {
            return ProxySetting.Read(name, _variable);
        }
        catch (BrdlException)
        {
            return null;
        }
    }

    private sealed class ProxyUrlCredentials(EnvironmentProxy owner) : ICredentials
    {
        public NetworkCredential? GetCredential(Uri uri, string authType) => owner.CredentialFor(uri);
    }
}
