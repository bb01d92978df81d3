using System.Security.Cryptography;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Benchmarks.SideBySide;

/// <summary>
/// git over <c>git daemon</c> on loopback, from the synthetic large repository: the first
/// download of tag v1 into an empty download folder, then tag v2 (100 commits later) from the
/// cache the v1 download left: Buildroot's dl-wrapper with its git backend against a build.
/// </summary>
internal static class GitRows
{
    public static IEnumerable<TableLine> Run(BenchContext context) => Rows(context, measureFirstDownload: true);

    /// <summary>
    /// The next-version row alone, from the caches a previous run left in the work folder (made
    /// now, untimed, when there are none): to measure it again without the long first downloads.
    /// </summary>
    public static IEnumerable<TableLine> NextVersionOnly(BenchContext context) => Rows(context, measureFirstDownload: false);

    private static IEnumerable<TableLine> Rows(BenchContext context, bool measureFirstDownload)
    {
        string repository = SyntheticGitRepository.Create(Path.Combine(context.Work, "git-large"));
        long packBytes = Directory.EnumerateFiles(Path.Combine(repository, "objects", "pack"), "*.pack").Sum(f => new FileInfo(f).Length);
        string what = $"{SyntheticGitRepository.CommitCount:N0} commits, {SyntheticGitRepository.FileCount:N0} files, {packBytes >> 20} MiB packed";
        Console.WriteLine($"== git: first download and next version of a large repository ({what}) via git daemon");
        using LoopbackServerProcess daemon = Servers.GitDaemon(Path.GetDirectoryName(repository)!);
        string url = $"git://127.0.0.1:{daemon.Port}/repo.git";
        PackageUnderTest.Consumer v1 = context.Package.CreateConsumer("git-v1", DownloadRows.Package("repo", "v1", url, "repo-v1-git4.tar.gz", null, method: "git"));
        PackageUnderTest.Consumer v2 = context.Package.CreateConsumer("git-v2", DownloadRows.Package("repo", "v2", url, "repo-v2-git4.tar.gz", null, method: "git"));
        PackageUnderTest.Consumer empty = context.Package.CreateConsumer("empty", string.Empty);

        var packageCold = new Series("dotnet build, first download (v1)");
        var packageWarm = new Series("dotnet build, next version (v2)");
        var nothing = new Series("dotnet build, nothing declared");
        Series? buildrootCold = context.BuildrootScripts is null ? null : new Series("dl-wrapper + git backend, v1");
        Series? buildrootWarm = context.BuildrootScripts is null ? null : new Series("dl-wrapper + git backend, v2");

        // Cold: each side into an empty download folder. What the last cold run leaves is the
        // warm runs' starting point, copied afresh (untimed) before each.
        var cold = new List<Variant>();
        if (buildrootCold is not null)
        {
            cold.Add(new Variant(buildrootCold, () => Wrapper(context, "dl-git-br", url, "v1"), Prepare: () => context.FreshFolder("dl-git-br")));
        }

        cold.Add(new Variant(packageCold, () => v1.Build("BuildrootSource", Path.Combine(context.Work, "dl-git-ours")), Prepare: () => context.FreshFolder("dl-git-ours")));
        cold.Add(new Variant(nothing, () => empty.Build("BuildrootSource", Path.Combine(context.Work, "dl-git-none"))));
        string ourTemplate = Path.Combine(context.Work, "dl-git-ours-after-v1");
        string? theirTemplate = buildrootCold is null ? null : Path.Combine(context.Work, "dl-git-br-after-v1");
        if (measureFirstDownload || !Directory.Exists(ourTemplate) || (theirTemplate is not null && !Directory.Exists(theirTemplate)))
        {
            if (measureFirstDownload)
            {
                context.Interleave([.. cold]);
            }
            else
            {
                cold.ForEach(variant => { variant.Prepare?.Invoke(); Measurement.Run(variant.Command()); });
            }

            ourTemplate = Keep(context, "dl-git-ours");
            theirTemplate = buildrootCold is null ? null : Keep(context, "dl-git-br");
        }

        var warm = new List<Variant>();
        if (buildrootWarm is not null)
        {
            warm.Add(new Variant(buildrootWarm, () => Wrapper(context, "dl-git-br", url, "v2"), Prepare: () => Restore(context, theirTemplate!, "dl-git-br")));
        }

        warm.Add(new Variant(packageWarm, () => v2.Build("BuildrootSource", Path.Combine(context.Work, "dl-git-ours")), Prepare: () => Restore(context, ourTemplate, "dl-git-ours")));
        var nothingWarm = new Series("dotnet build, nothing declared");
        warm.Add(new Variant(nothingWarm, () => empty.Build("BuildrootSource", Path.Combine(context.Work, "dl-git-none"))));
        context.Interleave([.. warm]);

        double netCold = packageCold.Median - nothing.Median;
        double netWarm = packageWarm.Median - nothingWarm.Median;
        Console.WriteLine($"   net of MSBuild start-up: {BenchContext.Seconds(netCold)} (v1), {BenchContext.Seconds(netWarm)} (v2); cache on disk: ours {FolderMiB(ourTemplate):0} MiB" +
                          (theirTemplate is null ? string.Empty : $", Buildroot's {FolderMiB(theirTemplate):0} MiB"));
        if (buildrootCold is null || buildrootWarm is null)
        {
            yield return DownloadRows.Skipped($"git: first download of a large repository ({what})", context.SkipReasonWithoutScripts, $"{BenchContext.Seconds(netCold)} net");
            yield return DownloadRows.Skipped("git: the next version from the warm cache", context.SkipReasonWithoutScripts, $"{BenchContext.Seconds(netWarm)} net");
            yield break;
        }

        Console.WriteLine($"   same v2 archive as Buildroot's (with this machine's tar): {(SameFile(Path.Combine(context.Work, "dl-git-ours", "repo", "repo-v2-git4.tar.gz"), Path.Combine(context.Work, "dl-git-br", "repo", "repo-v2-git4.tar.gz")) ? "yes" : "no")}");
        if (measureFirstDownload)
        {
            yield return new TableLine(
                $"git: first download of a large repository (synthetic: {what}; `git daemon`)",
                $"Buildroot's git backend {BenchContext.Seconds(buildrootCold.Median)}, cache {FolderMiB(theirTemplate!):0} MiB",
                $"{BenchContext.Seconds(netCold)} net, cache {FolderMiB(ourTemplate):0} MiB",
                BenchContext.Times(netCold / buildrootCold.Median),
                "≤ 0.5×",
                netCold <= 0.5 * buildrootCold.Median);
        }

        yield return new TableLine(
            "git: the next version from the warm cache",
            BenchContext.Seconds(buildrootWarm.Median),
            $"{BenchContext.Seconds(netWarm)} net",
            BenchContext.Times(netWarm / buildrootWarm.Median),
            "≤ 1.0×",
            netWarm <= buildrootWarm.Median);
    }

    /// <summary>Buildroot's dl-wrapper as <c>pkg-download.mk</c> calls it for a git package.</summary>
    private static BenchCommand Wrapper(BenchContext context, string dlFolder, string url, string version)
    {
        string dl = Path.Combine(context.Work, dlFolder);
        string scratch = context.Folder("scratch-git-br");
        Directory.CreateDirectory(Path.Combine(dl, "repo"));
        return context.Script(
            "dl-wrapper",
            "-c", version, "-d", Path.Combine(dl, "repo"), "-D", dl, "-f", $"repo-{version}-git4.tar.gz",
            "-n", $"repo-{version}", "-N", "repo", "-o", Path.Combine(dl, "repo", $"repo-{version}-git4.tar.gz"),
            "-u", $"git+{url}", "--").With("BUILD_DIR", scratch);
    }

    private static string Keep(BenchContext context, string dlFolder)
    {
        string template = Path.Combine(context.Work, dlFolder + "-after-v1");
        Workloads.DeleteIfPresent(template);
        Measurement.Run(new BenchCommand("cp", ["-a", Path.Combine(context.Work, dlFolder), template]));
        return template;
    }

    private static void Restore(BenchContext context, string template, string dlFolder)
    {
        string target = Path.Combine(context.Work, dlFolder);
        Workloads.DeleteIfPresent(target);
        Measurement.Run(new BenchCommand("cp", ["-a", template, target]));

        // A copy has new inodes and change times: refresh the index, or the measured checkout
        // would re-read every file, which a cache left in place never does.
        string cache = Path.Combine(target, "repo", "git");
        Measurement.Run(new BenchCommand("git", ["--git-dir", Path.Combine(cache, ".git"), "--work-tree", cache, "update-index", "-q", "--refresh"]) { WorkingDirectory = cache });
    }

    private static double FolderMiB(string folder) =>
        Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Sum(f => new FileInfo(f).Length) / 1048576.0;

    private static bool SameFile(string a, string b) =>
        File.Exists(a) && File.Exists(b) && SHA256.HashData(File.ReadAllBytes(a)).AsSpan().SequenceEqual(SHA256.HashData(File.ReadAllBytes(b)));
}
