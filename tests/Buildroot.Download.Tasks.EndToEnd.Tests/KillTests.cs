using System.Globalization;
using System.Text.RegularExpressions;
using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// <c>dotnet build</c> killed with SIGKILL at random moments, again and again, over one download
/// folder and one project: no file under its final name is ever partial or wrong, what the killed
/// builds leave (temporary copies in the download folder, scratch folders in <c>obj/</c>) stays
/// at one killed build's worth, and the next build reclaims it. Before, every kill could add a
/// copy and a scratch folder for good (16 files, 261 MiB in the download folder and 151 folders,
/// 2.1 GiB in obj/ after 60 kills).
/// </summary>
/// <remarks>
/// <c>BRDL_KILL_ROUNDS</c> sets the number of kills (default 10, to keep CI short) and
/// <c>BRDL_KILL_SEED</c> the random seed (printed, to replay a failure).
/// </remarks>
[Collection(EndToEndCollection.Name)]
public sealed partial class KillTests(PackedPackage package, ITestOutputHelper output)
{
    private const int PackageCount = 3;

    [Fact]
    public async Task Builds_killed_at_random_moments_leave_no_bad_file_and_leftovers_stay_bounded_and_are_reclaimed()
    {
        int rounds = EnvironmentNumber("BRDL_KILL_ROUNDS") ?? 10;
        int seed = EnvironmentNumber("BRDL_KILL_SEED") ?? Random.Shared.Next();
        output.WriteLine($"{rounds} kills, seed {seed} (BRDL_KILL_ROUNDS, BRDL_KILL_SEED)");
        var random = new Random(seed);

        // Large enough that downloading, hashing and installing each file takes a while.
        using var server = new LoopbackHttpServer();
        var files = Enumerable.Range(1, PackageCount)
            .Select(i => new Payload($"pkg{i}", $"pkg{i}-1.0.tar.gz", Payloads.Bytes($"kill-{i}", kilobytes: 16 * 1024)))
            .ToArray();
        using var project = new EndToEndProject(package, output, "kill");
        foreach (Payload file in files)
        {
            server.Serve("/" + file.FileName, file.Content);
            project.WriteFile($"{file.Package}.hash", Payloads.HashLine(file.FileName, file.Content));
        }

        project.WriteProject(string.Concat(files.Select(f =>
            $"""<BuildrootPackage Include="{f.Package}" Version="1.0" Site="{server.BaseUri}" HashFiles="{f.Package}.hash" />""")));

        // A first whole build: restores, and tells how long a build takes here.
        BuildResult first = await project.BuildAsync();
        first.ShouldSucceed();
        long largestLeftover = 0;
        for (int round = 1; round <= rounds; round++)
        {
            // Some files are new again (a version bump), so that there is something to download.
            foreach (Payload file in files.Where(_ => random.Next(3) > 0))
            {
                File.Delete(project.DownloadedPath(file.Package, file.FileName));
            }

            bool afterDownloadStarts = random.Next(3) > 0;
            TimeSpan delay = afterDownloadStarts
                ? TimeSpan.FromMilliseconds(random.Next(0, 1500))
                : TimeSpan.FromMilliseconds(random.Next(0, (int)first.Elapsed.TotalMilliseconds));
            var downloading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using RunningBuild build = project.StartBuild(["--no-restore"], line =>
            {
                if (line.Contains(" Downloading", StringComparison.Ordinal))
                {
                    downloading.TrySetResult();
                }
            });
            if (afterDownloadStarts)
            {
                await Task.WhenAny(downloading.Task, build.Exited);
            }

            await Task.WhenAny(Task.Delay(delay), build.Exited);
            if (!build.HasExited)
            {
                build.KillAbruptly();
            }

            await build.WaitAsync(TimeSpan.FromMinutes(1));
            long leftover = CheckAfterKill(project, files, $"round {round} ({(afterDownloadStarts ? "after Downloading + " : "after start + ")}{delay.TotalMilliseconds:0} ms)");
            largestLeftover = Math.Max(largestLeftover, leftover);
        }

        // The next build, not killed: every file, and nothing left over.
        BuildResult last = await project.BuildAsync("--no-restore");
        last.ShouldSucceed();
        foreach (Payload file in files)
        {
            File.ReadAllBytes(project.DownloadedPath(file.Package, file.FileName)).ShouldBe(file.Content);
        }

        TemporaryFilesIn(project).ShouldBeEmpty();
        ScratchEntries(project).ShouldBeEmpty();
        output.WriteLine($"Largest leftover after a kill: {largestLeftover} bytes ({largestLeftover / (1024.0 * 1024):0.0} MiB); none after the next build.");
    }

    /// <summary>Checks what a killed build left and returns its size in bytes.</summary>
    private long CheckAfterKill(EndToEndProject project, Payload[] files, string round)
    {
        foreach (Payload file in files)
        {
            string path = project.DownloadedPath(file.Package, file.FileName);
            if (File.Exists(path))
            {
                File.ReadAllBytes(path).ShouldBe(file.Content, $"{round}: {path} is under its final name but not whole and right");
            }
        }

        // At most one killed build's worth: each build reclaims the previous one's when it gets that far.
        string[] temporaries = TemporaryFilesIn(project);
        foreach (IGrouping<string?, string> folder in temporaries.GroupBy(Path.GetDirectoryName))
        {
            folder.Count().ShouldBeLessThanOrEqualTo(1, $"{round}: temporary files pile up in {folder.Key}: {string.Join(", ", folder)}");
        }

        string[] scratch = ScratchEntries(project);
        scratch.Count(Directory.Exists).ShouldBeLessThanOrEqualTo(1, $"{round}: scratch folders pile up: {string.Join(", ", scratch)}");
        scratch.Count(File.Exists).ShouldBeLessThanOrEqualTo(1, $"{round}: scratch locks pile up: {string.Join(", ", scratch)}");

        long bytes = temporaries.Sum(f => new FileInfo(f).Length)
            + scratch.Where(Directory.Exists).Sum(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length));
        output.WriteLine($"{round}: {temporaries.Length} temporary files, {scratch.Count(Directory.Exists)} scratch folder(s), {bytes} bytes left over");
        return bytes;
    }

    private static string[] TemporaryFilesIn(EndToEndProject project) =>
        Directory.Exists(project.DownloadFolder)
            ? Directory.EnumerateFiles(project.DownloadFolder, "*", SearchOption.AllDirectories)
                .Where(f => TemporaryName().IsMatch(Path.GetFileName(f)))
                .ToArray()
            : [];

    private static string[] ScratchEntries(EndToEndProject project)
    {
        string root = Path.Combine(project.IntermediateFolder, "buildroot-scratch");
        return Directory.Exists(root) ? Directory.GetFileSystemEntries(root) : [];
    }

    private static int? EnvironmentNumber(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : null;

    // Ours (.<file>.brdl-<guid>.tmp) and any other temporary name: none may pile up.
    [GeneratedRegex(@"\.tmp$|\.brdl-")]
    private static partial Regex TemporaryName();

    private sealed record Payload(string Package, string FileName, byte[] Content);
}
