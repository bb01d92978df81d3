namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The retries of the built-in http(s) client. The defaults suit a build; tests shrink the
/// delays so that retries take milliseconds. The stall limit comes with each request
/// (<see cref="Infrastructure.TransferLimits"/>).
/// </summary>
internal sealed record HttpDownloadSettings
{
    public static HttpDownloadSettings Default { get; } = new();

    /// <summary>Tries per URL, as Buildroot's <c>wget -t 3</c>; the wrapper then moves on to the next URI.</summary>
    public int Tries { get; init; } = 3;

    /// <summary>The wait before the second try; it doubles before each further one.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait for a TCP (and TLS) connection to a server or proxy (the stall limit, if shorter, comes first).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where <c>http_proxy</c>, <c>https_proxy</c> and <c>no_proxy</c> are read from (the process environment).</summary>
    public Func<string, string?> EnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;
}
