using System.Globalization;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Benchmarks.SideBySide;

/// <summary>One variant of a row: what to prepare (untimed) before each run, and the command to time.</summary>
internal sealed record Variant(Series Series, Func<BenchCommand> Command, Action? Prepare = null);

/// <summary>One line of the final table, in the issue's columns.</summary>
internal sealed record TableLine(string Workload, string Reference, string Package, string Ratio, string Goal, bool? Met);

/// <summary>What every row shares: the work folder, the number of runs, the packed package, Buildroot's scripts.</summary>
internal sealed class BenchContext
{
    private readonly Lazy<PackageUnderTest> _package;

    public BenchContext(string work, int runs, int warmups)
    {
        Work = work;
        Runs = runs;
        Warmups = warmups;
        _package = new Lazy<PackageUnderTest>(() => PackageUnderTest.Pack(Path.Combine(work, "package")));
        string scripts = Path.Combine(RepositoryPaths.Shared, "reference", "buildroot");
        BuildrootScripts = File.Exists(Path.Combine(scripts, "support", "download", "dl-wrapper")) ? scripts : null;
    }

    public string Work { get; }

    public int Runs { get; }

    public int Warmups { get; }

    public PackageUnderTest Package => _package.Value;

    /// <summary>The folder holding <c>support/download/</c>, or null when <c>../shared/reference/buildroot</c> is absent.</summary>
    public string? BuildrootScripts { get; }

    public string SkipReasonWithoutScripts =>
        $"Buildroot's scripts are absent (expected {Path.Combine(RepositoryPaths.Shared, "reference", "buildroot", "support", "download")})";

    public string Folder(params string[] parts)
    {
        string path = Path.Combine([Work, .. parts]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A folder emptied now: a fresh download folder for one run.</summary>
    public string FreshFolder(params string[] parts)
    {
        string path = Path.Combine([Work, .. parts]);
        Workloads.DeleteIfPresent(path);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Runs the variants in turn (A B C, A B C, …), warm-ups first and not counted, and prints each series.</summary>
    public void Interleave(params Variant[] variants)
    {
        for (int run = 0; run < Warmups + Runs; run++)
        {
            foreach (Variant variant in variants)
            {
                variant.Prepare?.Invoke();
                Sample sample = Measurement.Run(variant.Command());
                if (run >= Warmups)
                {
                    variant.Series.Add(sample);
                }
            }
        }

        foreach (Variant variant in variants)
        {
            Console.WriteLine("   " + variant.Series);
        }
    }

    /// <summary>A Buildroot script run as Buildroot runs it: from the top of its tree, with its tools named.</summary>
    public BenchCommand Script(string script, params string[] arguments) =>
        new BenchCommand(Path.Combine(BuildrootScripts!, "support", "download", script), arguments) { WorkingDirectory = BuildrootScripts }
            .With("GIT", "git")
            .With("TAR", "tar")
            .With("WGET", "wget --passive-ftp -nd -t 3")
            .With("LC_ALL", "C");

    /// <summary>A bash script of the benchmark's own that calls Buildroot's scripts, run like <see cref="Script"/>.</summary>
    public BenchCommand BashScript(string path, params string[] arguments) =>
        Script("dl-wrapper") with { Program = "bash", Arguments = [path, .. arguments] };

    public static string Seconds(double seconds) => seconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    public static string Times(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";
}
