using System.Globalization;
using System.Text.RegularExpressions;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>Why a request of the built-in http client failed, in the words of the site list of a failed package.</summary>
internal static partial class HttpFailureText
{
    /// <summary>
    /// The failure as a person says it: "the host github.com could not be found (Name or service
    /// not known)", not .NET's "Name or service not known (github.com:443) (Name or service not
    /// known)". The system's own words come once, at the end, for searching.
    /// </summary>
    public static string Describe(HttpRequestException e, Uri uri)
    {
        // The endpoint .NET names, "(host:port)" at the end of its message, is where it really went (after redirects).
        Match endpoint = EndpointInMessage().Match(e.Message);
        string host = endpoint.Success ? endpoint.Groups["host"].Value : uri.IdnHost;
        string port = endpoint.Success ? endpoint.Groups["port"].Value : uri.Port.ToString(CultureInfo.InvariantCulture);
        string cause = SecretRedactor.Redact(Innermost(e).Message);
        if (Innermost(e) == e)
        {
            cause = EndpointInMessage().Replace(cause, string.Empty);
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => $"the host {host} could not be found ({cause})",
            HttpRequestError.ConnectionError => $"could not connect to {host}:{port} ({cause})",
            HttpRequestError.SecureConnectionError => $"the secure connection to {host}:{port} failed ({cause})",
            HttpRequestError.ProxyTunnelError => $"the proxy would not connect to {host}:{port} ({cause})",
            _ => Distinct(e),
        };
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    /// <summary>The messages of the chain, each once: an inner message the outer one already says is left out.</summary>
    private static string Distinct(Exception e)
    {
        var said = new List<string>();
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            string message = SecretRedactor.Redact(current.Message).Trim().TrimEnd('.');
            if (message.Length > 0 && !said.Any(earlier => earlier.Contains(message, StringComparison.Ordinal)))
            {
                said.Add(message);
            }
        }

        return string.Join(": ", said);
    }

    [GeneratedRegex(@"\s*\((?<host>[^()\s]+):(?<port>\d+)\)\s*$")]
    private static partial Regex EndpointInMessage();
}
