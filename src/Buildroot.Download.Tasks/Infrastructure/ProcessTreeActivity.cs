using System.Globalization;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// How much a process and all its descendants have done since the last look, read from Linux's
/// <c>/proc</c>: bytes read and written (<c>rchar</c> + <c>wchar</c> of <c>/proc/&lt;pid&gt;/io</c>, which
/// count pipes and sockets as well as files, so a tool's output and its network traffic are both
/// in it) and CPU time (<c>utime</c> + <c>stime</c> of <c>/proc/&lt;pid&gt;/stat</c>). The tree is found
/// through <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/children</c>.
/// </summary>
/// <remarks>
/// A process is known by its pid and start time, so a recycled pid is a new process. A process
/// seen for the first time counts with everything it has done (starting a program is work); one
/// that ended takes its last counts with it. A process whose <c>io</c> we may not read (another
/// user's, a set-uid helper) counts by its CPU time only. Elsewhere than on Linux
/// <see cref="IsSupported"/> is false and nothing is measured.
/// </remarks>
internal sealed class ProcessTreeActivity
{
    /// <summary>Linux's USER_HZ, the unit of the CPU times in <c>/proc/&lt;pid&gt;/stat</c>: 100 on every architecture .NET runs on.</summary>
    private const double ClockTicksPerSecond = 100;

    private readonly int _rootPid;
    private Dictionary<(int Pid, long Start), Counters> _previous = [];

    public ProcessTreeActivity(int rootPid)
    {
        _rootPid = rootPid;
    }

    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && Directory.Exists($"/proc/{Environment.ProcessId}/task");

    /// <summary>What the tree did since the previous call (since it started, on the first call).</summary>
    public Activity Sample()
    {
        var current = new Dictionary<(int Pid, long Start), Counters>();
        long bytes = 0;
        long ticks = 0;
        foreach (int pid in Tree())
        {
            if (ReadStat(pid) is not { } stat)
            {
                continue;
            }

            long io = ReadIo(pid);
            var counters = new Counters(io, stat.CpuTicks);
            current[(pid, stat.StartTime)] = counters;
            Counters before = _previous.TryGetValue((pid, stat.StartTime), out Counters seen) ? seen : new Counters(0, 0);
            bytes += io >= 0 ? Math.Max(0, io - Math.Max(0, before.IoBytes)) : 0;
            ticks += Math.Max(0, stat.CpuTicks - before.CpuTicks);
        }

        _previous = current;
        return new Activity(bytes, TimeSpan.FromSeconds(ticks / ClockTicksPerSecond));
    }

    /// <summary>The root and every descendant alive now.</summary>
    private List<int> Tree()
    {
        var tree = new List<int> { _rootPid };
        for (int i = 0; i < tree.Count; i++)
        {
            tree.AddRange(ChildrenOf(tree[i]));
        }

        return tree;
    }

    private static IEnumerable<int> ChildrenOf(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var children = new List<int>();
        foreach (string task in tasks)
        {
            if (ReadQuietly(Path.Combine(task, "children")) is not { } text)
            {
                continue;
            }

            foreach (string child in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(child, NumberStyles.None, CultureInfo.InvariantCulture, out int childPid))
                {
                    children.Add(childPid);
                }
            }
        }

        return children;
    }

    /// <summary>CPU ticks and start time; the command name, in parentheses, may hold spaces and parentheses itself.</summary>
    private static (long CpuTicks, long StartTime)? ReadStat(int pid)
    {
        if (ReadQuietly($"/proc/{pid}/stat") is not { } text)
        {
            return null;
        }

        int end = text.LastIndexOf(')');
        if (end < 0)
        {
            return null;
        }

        // After the name: state (field 3), ppid (4), …, utime (14), stime (15), …, starttime (22).
        string[] fields = text[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out long utime)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out long stime)
            && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long start)
            ? (utime + stime, start)
            : null;
    }

    /// <summary><c>rchar</c> + <c>wchar</c>, or -1 when they cannot be read.</summary>
    private static long ReadIo(int pid)
    {
        if (ReadQuietly($"/proc/{pid}/io") is not { } text)
        {
            return -1;
        }

        long total = 0;
        foreach (string line in text.Split('\n'))
        {
            if ((line.StartsWith("rchar:", StringComparison.Ordinal) || line.StartsWith("wchar:", StringComparison.Ordinal))
                && long.TryParse(line.AsSpan(6).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                total += value;
            }
        }

        return total;
    }

    private static string? ReadQuietly(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended, or is not ours to look at.
            return null;
        }
    }

    private readonly record struct Counters(long IoBytes, long CpuTicks);
}

/// <summary>What a process tree did in some span of time.</summary>
internal readonly record struct Activity(long Bytes, TimeSpan Cpu);
