using System.Net;
using System.Net.Http.Headers;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// Which http failures are worth another try, and how long to wait first. A server that is
/// overloaded, restarting or cut off mid-transfer often answers the next time; a missing or
/// forbidden file never will, so those fail at once and the wrapper goes to the next URI.
/// </summary>
internal static class HttpRetryPolicy
{
    public static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>
    /// Connections refused or reset and bodies cut short are transient; a name that does not
    /// resolve, a TLS certificate that is refused, or a response that is not HTTP are not.
    /// </summary>
    public static bool IsTransient(HttpRequestError error) =>
        error is HttpRequestError.ConnectionError
            or HttpRequestError.ResponseEnded
            or HttpRequestError.HttpProtocolError
            or HttpRequestError.ProxyTunnelError
            or HttpRequestError.Unknown;

    /// <summary>The wait before try number <paramref name="nextTry"/> (2, 3, …): exponential, from <paramref name="firstDelay"/>.</summary>
    public static TimeSpan DelayBefore(int nextTry, TimeSpan firstDelay) =>
        TimeSpan.FromTicks(firstDelay.Ticks << Math.Min(nextTry - 2, 16));

    /// <summary>
    /// The wait a <c>Retry-After</c> header asks for (seconds, or a date), or null without one. A
    /// date in the past asks for no wait.
    /// </summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };
}
