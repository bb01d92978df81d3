using System.Globalization;
using Buildroot.Download.Tasks.Settings;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// How long one attempt at one site may take: every network transfer, in-process or by an
/// external tool, is held to both limits, so that no fault can keep a build waiting for ever.
/// </summary>
/// <remarks>
/// <para>"No progress" means the same everywhere: fewer than <see cref="ProgressBytes"/> bytes
/// moved within <see cref="Stall"/> (as curl's <c>--speed-limit</c>/<c>--speed-time</c>). A server
/// that trickles one byte a second is as stalled as one that never answers.</para>
/// <para>Tools that have time limits of their own are given them a little above ours
/// (<see cref="ToolSeconds"/>): our watchdog, whose message names the property to raise, normally
/// speaks first, and the tool's own limit still holds where the watchdog cannot see (a system
/// without <c>/proc</c>) or after the build itself was killed.</para>
/// </remarks>
/// <param name="Stall">How long a transfer may make no progress before the attempt is given up (<c>BuildrootDownloadStallTimeout</c>).</param>
/// <param name="Overall">How long one attempt may take in all, however it progresses (<c>BuildrootDownloadTimeout</c>); <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
internal sealed record TransferLimits(TimeSpan Stall, TimeSpan Overall)
{
    public const string StallProperty = "BuildrootDownloadStallTimeout";

    public const string OverallProperty = "BuildrootDownloadTimeout";

    /// <summary>What a transfer must move within <see cref="Stall"/> to count as progressing.</summary>
    public const int ProgressBytes = 1024;

    /// <summary>The documented defaults: 30 s without progress, one hour in all.</summary>
    public static TransferLimits Default { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1));

    /// <summary>
    /// The limits the properties give: blank means the default; anything but a number of seconds
    /// (a positive one for the stall limit, 0 meaning "none" for the overall one) is refused.
    /// </summary>
    public static TransferLimits Parse(string? stall, string? overall) => new(
        SettingValidators.Seconds(StallProperty, stall, Default.Stall, zeroMeansNoLimit: false),
        SettingValidators.Seconds(OverallProperty, overall, Default.Overall, zeroMeansNoLimit: true));

    public bool HasOverallLimit => Overall != Timeout.InfiniteTimeSpan;

    /// <summary>The tries of one URL of the built-in http client may spend this long in all without progress, their waits included.</summary>
    public TimeSpan StallBudget(int tries) => Stall * tries;

    /// <summary>
    /// <paramref name="limit"/> in whole seconds plus a margin (a quarter, at least five seconds,
    /// which a busy machine can take to schedule the watchdog), for a tool's own setting (see the remarks).
    /// </summary>
    public static int ToolSeconds(TimeSpan limit)
    {
        int seconds = (int)Math.Ceiling(limit.TotalSeconds);
        return seconds + Math.Max(5, (int)Math.Ceiling(limit.TotalSeconds / 4));
    }

    /// <summary>The stall limit as a tool's own "low speed time".</summary>
    public int ToolStallSeconds => ToolSeconds(Stall);

    /// <summary>The rate (bytes/s) below which a tool's own "low speed limit" gives up: <see cref="ProgressBytes"/> over its window.</summary>
    public int ToolLowSpeedBytesPerSecond => Math.Max(1, (int)Math.Ceiling((double)ProgressBytes / ToolStallSeconds));

    /// <summary>"30 s (BuildrootDownloadStallTimeout)": how a message names the stall limit.</summary>
    public string DescribeStall() => $"{Format(Stall)} ({StallProperty})";

    public static string Format(TimeSpan time) => $"{time.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
}
