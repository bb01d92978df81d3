using System.Globalization;

namespace Buildroot.Download.Tasks.Benchmarks.SideBySide;

/// <summary>
/// The CPU time of this process and of the children it has waited for, from Linux's
/// <c>/proc/self/stat</c> (<c>utime</c>, <c>stime</c>, <c>cutime</c>, <c>cstime</c>): what shows,
/// for the archive, how much of the time was gzip's own work.
/// </summary>
internal readonly record struct ProcessCpu(double OwnSeconds, double ChildrenSeconds)
{
    // The kernel reports these in USER_HZ ticks, 100 a second on every Linux the runtime supports.
    private const double TicksPerSecond = 100;
    private const string Prefix = "cpu-seconds ";

    /// <summary>This process now; null where there is no <c>/proc</c>.</summary>
    public static ProcessCpu? OfThisProcess()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return null;
        }

        // The fields after the command name, which is in parentheses and may hold blanks.
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Ticks(int field) => long.Parse(fields[field - 3], CultureInfo.InvariantCulture) / TicksPerSecond;
        return new ProcessCpu(Ticks(14) + Ticks(15), Ticks(16) + Ticks(17));
    }

    /// <summary>The line a child prints for its parent to read back with <see cref="Find"/>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{OwnSeconds:0.00} {ChildrenSeconds:0.00}");

    /// <summary>The figures a child printed, if it printed them.</summary>
    public static ProcessCpu? Find(string output)
    {
        string? line = output.Split('\n').FirstOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        string[] figures = line[Prefix.Length..].Trim().Split(' ');
        return new ProcessCpu(double.Parse(figures[0], CultureInfo.InvariantCulture), double.Parse(figures[1], CultureInfo.InvariantCulture));
    }
}
