using System.Collections.Immutable;
using System.Globalization;
using Buildroot.Download.Tasks.Archives;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Benchmarks.SideBySide;

/// <summary>
/// The reproducible archive of a 13,761-file, 79 MiB source tree: Buildroot's <c>mk_tar_gz</c>
/// against the package's writer run in a process of its own (this program's <c>archive-child</c>),
/// net of the same process started with nothing to do (<c>idle-child</c>), which also gives the
/// memory the archive costs beyond the runtime.
/// </summary>
internal static class ArchiveRow
{
    private const int FileCount = 13_761;
    private const long TreeBytes = 79L << 20;
    private const string Date = "2024-03-01T12:00:00+00:00";
    private const string BaseName = "tree-1.0";

    public static IEnumerable<TableLine> Run(BenchContext context)
    {
        Console.WriteLine($"== archive of a {FileCount:N0}-file tree ({TreeBytes >> 20} MiB)");
        string tree = Workloads.SourceTree(Path.Combine(context.Work, "tree-13761"), FileCount, TreeBytes, seed: 13761);
        string outputs = context.Folder("archives");
        string ours = Path.Combine(outputs, "ours.tar.gz");
        string self = typeof(ArchiveRow).Assembly.Location;
        var package = new Series("the package's writer + gzip");
        var idle = new Series("the same process, running `true`");
        var variants = new List<Variant>
        {
            new(package, () => new BenchCommand("dotnet", [self, "archive-child", tree, BaseName, Date, ours])),
            new(idle, () => new BenchCommand("dotnet", [self, "idle-child"])),
        };

        Series? buildroot = null;
        Series? gzip = null;
        string theirs = Path.Combine(outputs, "mk_tar_gz.tar.gz");
        if (context.BuildrootScripts is not null)
        {
            string helpers = Path.Combine(context.BuildrootScripts, "support", "download", "helpers");
            string script = Path.Combine(context.Folder("scripts"), "mk_tar_gz.sh");
            File.WriteAllText(script, "set -e\nTAR=tar\n. \"$1\"\nmk_tar_gz \"$2\" \"$3\" \"$4\" \"$5\"\n");
            buildroot = new Series("mk_tar_gz (find | sort | tar, gzip)");
            BenchCommand mkTarGz = context.BashScript(script, helpers, tree, BaseName, Date, theirs) with { WorkingDirectory = outputs };
            Measurement.Run(mkTarGz);
            string plainTar = Path.Combine(outputs, "plain.tar");
            Measurement.Run(new BenchCommand("sh", ["-c", "gzip -dc \"$1\" > \"$2\"", "sh", theirs, plainTar]));
            gzip = new Series("gzip -6 -n alone, on that tar");
            variants.Insert(0, new Variant(buildroot, () => mkTarGz));
            variants.Add(new Variant(gzip, () => new BenchCommand("sh", ["-c", "gzip -6 -n < \"$1\" > \"$2\"", "sh", plainTar, Path.Combine(outputs, "gzip-only.gz")])));
        }

        context.Interleave([.. variants]);
        double net = package.Median - idle.Median;
        double beyondRuntime = package.MedianPeakMiB - idle.MedianPeakMiB;
        Console.WriteLine($"   net of process start-up: {BenchContext.Seconds(net)}; memory beyond the runtime {beyondRuntime:0.0} MiB");
        PrintWhereTheTimeGoes(package, idle, gzip);
        if (buildroot is null)
        {
            yield return DownloadRows.Skipped("archive of a 13,761-file tree (79 MiB)", context.SkipReasonWithoutScripts, $"{BenchContext.Seconds(net)}, {beyondRuntime:0} MiB");
            yield break;
        }

        bool same = File.ReadAllBytes(ours).AsSpan().SequenceEqual(File.ReadAllBytes(theirs));
        Console.WriteLine($"   same bytes as mk_tar_gz with this machine's tar ({TarVersion()}): {(same ? "yes" : "no")}");
        yield return new TableLine(
            "archive of a 13,761-file tree (79 MiB)",
            $"`mk_tar_gz` {BenchContext.Seconds(buildroot.Median)}, {buildroot.MedianPeakMiB:0} MiB; gzip alone {BenchContext.Seconds(gzip!.Median)}",
            $"{BenchContext.Seconds(net)}, {beyondRuntime:0} MiB beyond the runtime",
            BenchContext.Times(net / buildroot.Median),
            "≤ 0.8×, ≤ 16 MiB beyond the runtime",
            net <= 0.8 * buildroot.Median && beyondRuntime <= 16);
    }

    /// <summary>
    /// The profile that says what limits the row: gzip's own CPU time inside the package's archive
    /// (it must be GNU gzip's bytes, so gzip's work is the floor), against the writer's and the
    /// runtime's, and gzip alone on the finished tar.
    /// </summary>
    private static void PrintWhereTheTimeGoes(Series package, Series idle, Series? gzipAlone)
    {
        double[] gzipCpu = package.Samples.Select(s => ProcessCpu.Find(s.Output)?.ChildrenSeconds ?? double.NaN).ToArray();
        double[] ownCpu = package.Samples.Select(s => ProcessCpu.Find(s.Output)?.OwnSeconds ?? double.NaN).ToArray();
        double[] idleCpu = idle.Samples.Select(s => ProcessCpu.Find(s.Output)?.OwnSeconds ?? double.NaN).ToArray();
        if (gzipCpu.Any(double.IsNaN))
        {
            return; // no /proc here
        }

        string floor = gzipAlone is null ? string.Empty : $"; gzip alone on the finished tar: {BenchContext.Seconds(gzipAlone.Median)} wall";
        Console.WriteLine(
            $"   where the time goes (CPU, medians): gzip {BenchContext.Seconds(Series.MedianOf(gzipCpu))}, " +
            $"the writer {BenchContext.Seconds(Series.MedianOf(ownCpu) - Series.MedianOf(idleCpu))} beyond the idle runtime, running beside it{floor}");
    }

    /// <summary>The child's work: one archive, as the git backend makes it; then its CPU time and gzip's.</summary>
    public static int Child(string[] arguments)
    {
        var request = new ArchiveRequest(
            arguments[0],
            arguments[1],
            DateTimeOffset.Parse(arguments[2], CultureInfo.InvariantCulture),
            arguments[3],
            ImmutableArray<string>.Empty,
            "gzip") { Quiet = true };
        ReproducibleArchive.CreateAsync(request, new ProcessRunner(new SilentLog()), CancellationToken.None).GetAwaiter().GetResult();
        Console.WriteLine(ProcessCpu.OfThisProcess());
        return 0;
    }

    /// <summary>
    /// The baseline: the runtime as a build has it, able to run a tool (MSBuild runs many), so
    /// the same process starts <c>true</c> through the package's process runner and stops.
    /// </summary>
    public static int IdleChild()
    {
        new ProcessRunner(new SilentLog()).RunAsync(new ExternalCommand("true") { Quiet = true }, CancellationToken.None).GetAwaiter().GetResult();
        Console.WriteLine(ProcessCpu.OfThisProcess());
        return 0;
    }

    private static string TarVersion() =>
        Measurement.Run(new BenchCommand("tar", ["--version"])).Output.Split('\n')[0];
}
