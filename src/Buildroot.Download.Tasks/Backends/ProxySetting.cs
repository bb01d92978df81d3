using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// One proxy variable (<c>http_proxy</c>, <c>https_proxy</c>, <c>all_proxy</c>, or its upper-case
/// form) read as curl reads it: <c>proxy:3128</c> without a scheme means http, <c>socks5h://</c>
/// is the socks5 proxy that resolves host names, and a value curl refuses ("Unsupported proxy
/// syntax", "Unsupported proxy scheme") is <see cref="MessageCodes.InvalidProxySetting"/>, never
/// a download that silently goes direct. One deliberate step further than curl: a value with
/// <c>//</c> but no <c>://</c> (<c>htp//proxy</c>) is refused too, where curl would look up a
/// proxy host named after the lost scheme and fail there.
/// </summary>
internal static class ProxySetting
{
    /// <summary>The proxy schemes .NET's handler speaks (socks5h is read as socks5).</summary>
    private static readonly string[] SupportedSchemes = ["http", "https", "socks4", "socks4a", "socks5"];

    /// <summary>
    /// The proxy the variable <paramref name="name"/> (else its upper-case form) gives, null when
    /// neither is set; throws <see cref="MessageCodes.InvalidProxySetting"/> for a value that is not a usable proxy.
    /// </summary>
    public static Uri? Read(string name, Func<string, string?> variable)
    {
        string upper = name.ToUpperInvariant();
        (string setBy, string? value) = variable(name) is { Length: > 0 } lower ? (name, lower) : (upper, variable(upper));
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        bool hasScheme = value.Contains("://", StringComparison.Ordinal);
        string withScheme = hasScheme ? value : "http://" + value;
        if (!hasScheme && value.Contains("//", StringComparison.Ordinal))
        {
            throw Invalid(setBy, value, "which is not a URL: its scheme lost its colon (write http://host:port)");
        }

        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out Uri? proxy) || proxy.Host.Length == 0)
        {
            throw Invalid(setBy, value, "which is not a proxy URL: write scheme://[user:password@]host[:port], with a port from 0 to 65535");
        }

        // curl's socks5h has the proxy resolve the host name: what .NET's socks5 does (it sends the name).
        proxy = proxy.Scheme == "socks5h" ? new UriBuilder(proxy) { Scheme = "socks5" }.Uri : proxy;
        return SupportedSchemes.Contains(proxy.Scheme)
            ? proxy
            : throw Invalid(setBy, value, $"a proxy of scheme {proxy.Scheme}://, which the built-in http client cannot use: give an http, https, socks4, socks4a, socks5 or socks5h proxy");
    }

    private static BrdlException Invalid(string name, string value, string problem) =>
        new(
            FailureScope.Build,
            MessageCodes.InvalidProxySetting,
            $"The environment variable {name} is '{Shown(value)}', {problem}. Fix {name}, or unset it to connect directly; hosts listed in no_proxy are reached directly whatever it says.");

    /// <summary>
    /// The value as written, without its credentials. The redactor hides well-formed user info (of
    /// the value read with its scheme: <c>me:pw@proxy</c> is <c>http://me:pw@proxy</c>); in a value
    /// that is not a URL, what remains before the last '@' may still be part of a password, and goes too.
    /// </summary>
    private static string Shown(string value)
    {
        int schemeEnd = value.IndexOf("://", StringComparison.Ordinal) is >= 0 and int end ? end + 3 : 0;
        string redacted = schemeEnd > 0 ? SecretRedactor.Redact(value) : SecretRedactor.Redact("http://" + value)["http://".Length..];
        int at = redacted.LastIndexOf('@');
        return at >= schemeEnd ? $"{redacted[..schemeEnd]}***{redacted[at..]}" : redacted;
    }
}
