namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// How long one attempt at one site may take: every network transfer, in-process or by an
/// external tool, is held to both limits, so that no fault can keep a build waiting for ever.
/// </summary>
/// <param name="Stall">How long a transfer may make no progress before the attempt is given up (<c>BuildrootDownloadStallTimeout</c>).</param>
/// <param name="Overall">How long one attempt may take in all, however it progresses (<c>BuildrootDownloadTimeout</c>).</param>
internal sealed record TransferLimits(TimeSpan Stall, TimeSpan Overall)
{
    /// <summary>The documented defaults: 30 s without progress, one hour in all.</summary>
    public static TransferLimits Default { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1));
}
