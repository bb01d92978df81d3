using System.Globalization;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// Says who holds a lock, for the messages of a build that waits for it: the process from the
/// kernel's lock table (so a Buildroot <c>flock(1)</c> is named too), its command line, and
/// since when — the time our own holders record in the lock file (<see cref="LockRecord"/>),
/// or else when the holding process started.
/// </summary>
internal static class LockHolder
{
    /// <summary>The longest command line quoted; the rest is cut (an MSBuild node's is long).</summary>
    private const int LongestCommandLine = 300;

    /// <summary>
    /// "held by process 4242 (flock /dl/zlib/.lock cat), running since 08:01:02 UTC (5 s ago)".
    /// Never throws: when nothing can be learnt, it says that another process holds the lock.
    /// </summary>
    public static string Describe(string lockFilePath)
    {
        try
        {
            return DescribeHolder(lockFilePath, DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            return "another process holds it";
        }
    }

    /// <summary>A wait as people say it: "45 s", "3 min 20 s", "2 h 5 min".</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalSeconds < 60 ? $"{Math.Max(0, (int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s"
        : span.TotalMinutes < 60 ? $"{((int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min {span.Seconds.ToString(CultureInfo.InvariantCulture)} s"
        : $"{((int)span.TotalHours).ToString(CultureInfo.InvariantCulture)} h {span.Minutes.ToString(CultureInfo.InvariantCulture)} min";

    private static string DescribeHolder(string lockFilePath, DateTimeOffset now)
    {
        if (KernelLockTable.HolderOf(lockFilePath) is not { } pid)
        {
            return "another process holds it (the kernel's lock table does not name it here)";
        }

        string who = $"process {pid.ToString(CultureInfo.InvariantCulture)} ({ShownCommandLine(KernelLockTable.CommandLineOf(pid) ?? "its command line is not readable")})";
        if (LockRecord.TryRead(lockFilePath) is { } record && record.ProcessId == pid)
        {
            return $"held by {who} since {At(record.Since, now)}, {record.Purpose}";
        }

        return KernelLockTable.StartTimeOf(pid) is { } started
            ? $"held by {who}, running since {At(started, now)}"
            : $"held by {who}";
    }

    private static string At(DateTimeOffset time, DateTimeOffset now) =>
        $"{time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC ({Duration(now - time)} ago)";

    /// <summary>
    /// The holder's command line as the log shows it: a Buildroot download has the package's
    /// sites on it, credentials included, so they are hidden first (before the cut, which could
    /// leave a URL the redactor no longer recognises).
    /// </summary>
    private static string ShownCommandLine(string commandLine)
    {
        commandLine = SecretRedactor.Redact(commandLine);
        return commandLine.Length <= LongestCommandLine ? commandLine : commandLine[..LongestCommandLine] + "…";
    }
}
