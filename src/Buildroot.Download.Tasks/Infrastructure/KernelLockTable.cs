using System.Globalization;
using System.Text;
using Buildroot.Download.Tasks.Archives;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// What Linux's <c>/proc</c> tells about a lock and its holder, whoever took it (a dotnet
/// build, Buildroot's <c>flock(1)</c>, anything else): the process that holds a file's lock,
/// from the kernel's lock table, and that process's command line and start time.
/// Every method answers null where <c>/proc</c> does not tell (another system, another PID
/// namespace, a process that just ended).
/// </summary>
internal static class KernelLockTable
{
    private const string LocksPath = "/proc/locks";

    /// <summary>
    /// The process holding a write lock on the file at <paramref name="path"/>. A line of
    /// <c>/proc/locks</c> reads <c>1: FLOCK  ADVISORY  WRITE 4242 fe:00:11658151 0 EOF</c>:
    /// the holder's pid (0 when it is outside our PID namespace), then the device, in hex, and
    /// the inode of the locked file; a waiter's line has <c>-&gt;</c> after the number.
    /// </summary>
    public static int? HolderOf(string path)
    {
        if (!OperatingSystem.IsLinux() || UnixFileStatus.TryGetIdentity(path) is not var (major, minor, inode))
        {
            return null;
        }

        string file = $"{major:x2}:{minor:x2}:{inode.ToString(CultureInfo.InvariantCulture)}";
        foreach (string line in ReadLines(LocksPath))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 6 && fields[1] != "->" && fields[3] == "WRITE" && fields[5] == file
                && int.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0)
            {
                return pid;
            }
        }

        return null;
    }

    /// <summary>The arguments of process <paramref name="pid"/> as one line, quoted where needed (<c>/proc/&lt;pid&gt;/cmdline</c>).</summary>
    public static string? CommandLineOf(int pid)
    {
        byte[] raw;
        try
        {
            raw = File.ReadAllBytes($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        string[] arguments = Encoding.UTF8.GetString(raw).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        return arguments.Length == 0 ? null : string.Join(' ', arguments.Select(ExternalCommand.QuoteForDisplay));
    }

    /// <summary>
    /// When process <paramref name="pid"/> started: field 22 of <c>/proc/&lt;pid&gt;/stat</c>, in
    /// clock ticks (USER_HZ, 100 on Linux) after the boot time <c>btime</c> of <c>/proc/stat</c>.
    /// </summary>
    public static DateTimeOffset? StartTimeOf(int pid)
    {
        const double TicksPerSecond = 100;
        string? stat = ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat").FirstOrDefault();
        string? boot = ReadLines("/proc/stat").FirstOrDefault(line => line.StartsWith("btime ", StringComparison.Ordinal));

        // The command name (field 2) is in parentheses and may hold blanks: count fields after its ')'.
        int end = stat?.LastIndexOf(')') ?? -1;
        string[] fields = end < 0 ? [] : stat![(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 || boot is null
            || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks)
            || !long.TryParse(boot[6..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long bootSeconds))
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeSeconds(bootSeconds).AddSeconds(ticks / TicksPerSecond);
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
