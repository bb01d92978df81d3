using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// What a user sees while files arrive, at the default verbosity of <c>dotnet build</c>: with the
/// classic console logger, a line when a file starts, its progress while it lasts and a line when
/// it is in; with the terminal logger (which shows no task message while a project builds), the
/// public name of the target at work. Downloads are made slow by the server (it trickles), and
/// every check is on what was printed before the file landed, never on how long anything took.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class ProgressTests(PackedPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task The_console_shows_a_slow_download_start_progress_and_end_while_it_runs()
    {
        // 400 KiB at the trickle's 40 KiB/s: at least 10 s, so at least one progress line is due.
        using var server = new LoopbackHttpServer();
        using EndToEndProject project = SlowPackage(server, "progress", "1.0", kilobytes: 400);
        var seen = new SeenBeforeLanding(project.DownloadedPath("slow", "slow-1.0.tar.gz"), line => line.Trim());

        using RunningBuild build = project.StartBuild([], seen.Take);
        BuildResult result = await build.WaitAsync(TimeSpan.FromMinutes(4));

        result.ShouldSucceed();
        seen.Lines.ShouldContain($"slow: downloading slow-1.0.tar.gz, 400 KiB, from {server.BaseUri} (built-in http client)", result.ToString());
        seen.Lines.ShouldContain(line => ProgressLine().IsMatch(line), $"a progress line while the file was coming:{Environment.NewLine}{result}");
        result.Output.Split('\n').Select(line => line.Trim()).ShouldContain(
            line => EndLine().IsMatch(line) && line.Contains($"from {server.BaseUri} (built-in http client), sha256 verified", StringComparison.Ordinal),
            result.ToString());
    }

    [Fact]
    public async Task The_terminal_logger_shows_the_download_live_under_its_public_target_name()
    {
        using var server = new LoopbackHttpServer();
        using EndToEndProject project = SlowPackage(server, "progress-tl", "2.0", kilobytes: 200);
        string landed = project.DownloadedPath("slow", "slow-2.0.tar.gz");
        var seen = new SeenBeforeLanding(landed, Terminal.Plain);

        using RunningBuild build = project.StartBuildOnTerminal([], seen.Take);
        BuildResult result = await build.WaitAsync(TimeSpan.FromMinutes(4));

        string screen = Terminal.Plain(result.Output);
        result.ExitCode.ShouldBe(0, screen);
        File.Exists(landed).ShouldBeTrue(screen);

        // The terminal logger's live line, "Consumer net10.0 BuildrootDownload (0.1s)", then only its
        // time redrawn as the seconds pass ("(1.2s)", "(1.3s)"…) until another target starts.
        string drawn = string.Join("\n", seen.Lines);
        int live = drawn.LastIndexOf("BuildrootDownload (", StringComparison.Ordinal);
        live.ShouldBeGreaterThanOrEqualTo(0, $"the live line named BuildrootDownload while the file came:{Environment.NewLine}{screen}");
        string after = drawn[live..];
        LiveTarget().Matches(after).Select(match => match.Groups["target"].Value).ShouldAllBe(target => target == "BuildrootDownload", "no other target ran while the file came");
        Seconds().Matches(after).Select(match => double.Parse(match.Groups["seconds"].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ShouldContain(seconds => seconds >= 1.0, $"the live line counted the download's time while the file came:{Environment.NewLine}{screen}");
        screen.ShouldNotContain("_Buildroot", Case.Sensitive, "no private target name is ever on the screen");
    }

    [RequiresToolsFact("git")]
    public async Task A_git_run_that_lasts_gets_a_heartbeat_until_it_is_given_up()
    {
        // git waits on a server that accepts and never answers, until the 12 s stall limit stops it;
        // the backup mirror then serves the archive.
        using var dead = new DeadGitSite();
        using var project = new EndToEndProject(package, output, "heartbeat");
        dead.WriteProject(project);
        var seen = new SeenBeforeLanding(project.DownloadedPath("foo", DeadGitSite.ArchiveName), line => line.Trim());

        using RunningBuild build = project.StartBuild([dead.BackupSiteArgument, "-p:BuildrootDownloadStallTimeout=12"], seen.Take);
        BuildResult result = await build.WaitAsync(TimeSpan.FromMinutes(4));

        result.ShouldSucceed();
        seen.Lines.ShouldContain($"foo: downloading foo-1.0-git4.tar.gz from {dead.Site} (git)", result.ToString());
        seen.Lines.ShouldContain(line => line.StartsWith("foo: foo-1.0-git4.tar.gz: git still running after ", StringComparison.Ordinal), result.ToString());
        result.Output.ShouldContain($"from {dead.Mirror.BaseUri}/backup/foo (built-in http client), sha256 verified");
    }

    /// <summary>A project whose package <c>slow</c> is served by <paramref name="server"/> at its trickle (40 KiB/s).</summary>
    private EndToEndProject SlowPackage(LoopbackHttpServer server, string name, string version, int kilobytes)
    {
        string file = $"slow-{version}.tar.gz";
        byte[] tarball = Payloads.Bytes($"slow-{version}", kilobytes);
        server.Serve($"/{file}", tarball);
        server.Misbehave($"/{file}", LoopbackHttpServer.Fault.Trickle);
        var project = new EndToEndProject(package, output, name);
        project.WriteFile("slow.hash", Payloads.HashLine(file, tarball));
        project.WriteProject($"""<BuildrootPackage Include="slow" Version="{version}" Site="{server.BaseUri}" HashFiles="slow.hash" />""");
        return project;
    }

    // "slow: slow-1.0.tar.gz: 120 KiB of 400 KiB (30%), 40 KiB/s, about 7 s left"
    [GeneratedRegex(@"^slow: slow-1\.0\.tar\.gz: [\d.]+ (bytes|KiB) of 400 KiB \(\d+%\), [\d.]+ (bytes|KiB|MiB)/s(, about .+ left)?$")]
    private static partial Regex ProgressLine();

    // "slow: slow-1.0.tar.gz: 400 KiB in 10.2 s (39.2 KiB/s) from http://127.0.0.1:41234 (built-in http client), sha256 verified"
    [GeneratedRegex(@"^slow: slow-1\.0\.tar\.gz: 400 KiB in [\d.]+ (s|min \d+ s) \([\d.]+ (bytes|KiB|MiB)/s\) from ")]
    private static partial Regex EndLine();

    // The terminal logger's node line: "Consumer net10.0 BuildrootDownload (0.1s)".
    [GeneratedRegex(@"net\d+\.\d+\s+(?<target>\S+) \(\d+\.\ds\)")]
    private static partial Regex LiveTarget();

    [GeneratedRegex(@"\((?<seconds>\d+\.\d)s\)")]
    private static partial Regex Seconds();

    /// <summary>The lines a build printed before <paramref name="landed"/> existed: what the user saw while the file came.</summary>
    private sealed class SeenBeforeLanding(string landed, Func<string, string> clean)
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public string[] Lines => [.. _lines];

        public void Take(string line)
        {
            if (!File.Exists(landed))
            {
                _lines.Enqueue(clean(line));
            }
        }
    }
}
