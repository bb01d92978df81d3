using System.Globalization;
using System.Text;

namespace Buildroot.Download.Tasks.Benchmarks.SideBySide;

/// <summary>
/// The table, measured: every row runs the package (packed from this repository, used
/// by real <c>dotnet build</c> processes, net of the same build with nothing declared) and
/// Buildroot's own scripts from <c>../shared/reference/buildroot</c> (skipped, saying why, when
/// absent) on the same workload, interleaved run by run, and prints medians and ratios.
/// <code>
/// dotnet run -c Release --project tests/Buildroot.Download.Tasks.Benchmarks -- side-by-side [--runs 3] [--warmups 1] [--rows large,archive,hash,git,slow,noop] (git-next: the next-version git row alone; fleet: a cold machine with and without the asset cache) [--work /tmp/brdl-side-by-side]
/// </code>
/// The work folder keeps the generated data (the 2 GiB and 1 GiB files, the source tree, the
/// git repository) between runs; delete it to start afresh.
/// </summary>
internal static class SideBySideRun
{
    private static readonly Dictionary<string, Func<BenchContext, IEnumerable<TableLine>>> Rows = new(StringComparer.Ordinal)
    {
        ["large"] = DownloadRows.LargeFile,
        ["archive"] = ArchiveRow.Run,
        ["hash"] = HashRows.Run,
        ["git"] = GitRows.Run,
        ["git-next"] = GitRows.NextVersionOnly,
        ["slow"] = DownloadRows.SlowServer,
        ["noop"] = DownloadRows.NoOp,
        ["fleet"] = FleetRow.Run,
    };

    public static int Run(string[] arguments)
    {
        int runs = 3;
        int warmups = 1;
        string work = Path.Combine(Path.GetTempPath(), "brdl-side-by-side");
        string[] rows = [.. Rows.Keys.Where(row => row is not "git-next" and not "fleet")];
        for (int i = 0; i < arguments.Length; i++)
        {
            switch (arguments[i])
            {
                case "--runs":
                    runs = int.Parse(arguments[++i], CultureInfo.InvariantCulture);
                    break;
                case "--warmups":
                    warmups = int.Parse(arguments[++i], CultureInfo.InvariantCulture);
                    break;
                case "--work":
                    work = Path.GetFullPath(arguments[++i]);
                    break;
                case "--rows":
                    rows = arguments[++i].Split(',', StringSplitOptions.RemoveEmptyEntries);
                    break;
                default:
                    Console.Error.WriteLine($"Unknown argument '{arguments[i]}'. Rows: {string.Join(',', Rows.Keys)}.");
                    return 2;
            }
        }

        Directory.CreateDirectory(work);
        var context = new BenchContext(work, runs, warmups);
        Console.WriteLine($"// {Machine()}");
        Console.WriteLine($"// {runs} counted runs per variant (after {warmups} warm-up), interleaved; work folder {work}");
        if (!Measurement.MeasuresMemory)
        {
            Console.WriteLine("// /usr/bin/time (GNU time) is not installed: no memory figures.");
        }

        if (context.BuildrootScripts is null)
        {
            Console.WriteLine($"// {context.SkipReasonWithoutScripts}: the rows show the package alone.");
        }

        var table = new List<TableLine>();
        foreach (string row in rows)
        {
            table.AddRange(Rows[row](context));
        }

        Console.WriteLine();
        Console.WriteLine($"// load average at the end: {LoadAverage()}");
        Console.WriteLine(Markdown(table));
        return 0;
    }

    private static string Markdown(List<TableLine> table)
    {
        var text = new StringBuilder();
        text.AppendLine("| workload | Buildroot / limit | the package | ratio | goal | met |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (TableLine line in table)
        {
            string met = line.Met switch { true => "yes", false => "no", null => "—" };
            text.AppendLine($"| {line.Workload} | {line.Reference} | {line.Package} | {line.Ratio} | {line.Goal} | {met} |");
        }

        return text.ToString();
    }

    private static string Machine()
    {
        string cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        string memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").First().Split(':', 2)[1].Trim()
            : "?";
        return $"{Environment.ProcessorCount} cores ({cpu}), {memory} memory, {Environment.OSVersion}, .NET {Environment.Version}; load average {LoadAverage()}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
