using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// Dead servers, as a CI pipeline meets them: the build gives up on each at the stall limit and
/// gets the file from the next site, in bounded time; transports no package means are refused.
/// Before, a stalled mirror cost 188 s per URI and a dead git server hung the build for ever
/// (here: until the harness's four-minute limit).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class TimeLimitTests(PackedPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task A_mirror_that_accepts_and_never_answers_is_given_up_and_the_package_site_serves_the_file()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("zlib-1.3.1");
        server.Serve("/upstream/zlib-1.3.1.tar.gz", tarball);
        server.Misbehave("/primary/zlib/zlib-1.3.1.tar.gz", LoopbackHttpServer.Fault.NeverAnswer, times: 10);
        server.Misbehave("/primary/zlib-1.3.1.tar.gz", LoopbackHttpServer.Fault.NeverAnswer, times: 10);
        using var project = new EndToEndProject(package, output, "stalled-mirror");
        project.WriteFile("zlib.hash", Payloads.HashLine("zlib-1.3.1.tar.gz", tarball));
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}/upstream" HashFiles="zlib.hash" />""");

        BuildResult result = await project.BuildAsync(
            $"-p:BuildrootPrimarySite={server.BaseUri}/primary", "-p:BuildrootDownloadStallTimeout=1", "-v:detailed");

        result.ShouldSucceed();
        File.ReadAllBytes(project.DownloadedPath("zlib", "zlib-1.3.1.tar.gz")).ShouldBe(tarball);

        // Three tries of each mirror URI, each given up after a second of silence.
        server.RequestCount("/primary/zlib/zlib-1.3.1.tar.gz").ShouldBe(3);
        server.RequestCount("/primary/zlib-1.3.1.tar.gz").ShouldBe(3);
        result.ShouldPrint("did not answer within");
    }

    [RequiresToolsFact("git")]
    public async Task A_dead_git_server_is_given_up_at_the_stall_limit_and_the_backup_mirror_serves_the_archive()
    {
        using var dead = new DeadGitSite();
        using var project = new EndToEndProject(package, output, "dead-git");
        dead.WriteProject(project);

        BuildResult result = await project.BuildAsync(dead.BackupSiteArgument, "-p:BuildrootDownloadStallTimeout=2", "-v:detailed");

        result.ShouldSucceed();
        File.ReadAllBytes(project.DownloadedPath("foo", DeadGitSite.ArchiveName)).ShouldBe(dead.Archive);
        dead.GitServer.AcceptedConnections.ShouldBe(1, "a stalled server is not tried again with a fresh clone");
        result.ShouldPrint("made no progress for 2 s");
    }

    [Theory]
    [InlineData("fd::0", "fd")]
    [InlineData("ext::sh -c touch% /tmp/brdl-e2e-ext-ran", "ext")]
    public async Task A_git_site_on_a_transport_no_package_means_is_refused_before_git_runs(string site, string transport)
    {
        using var project = new EndToEndProject(package, output, "git-transport");
        project.WriteProject($"""<BuildrootPackage Include="foo" Version="1.0" Site="{site}" SiteMethod="git" />""");

        BuildResult result = await project.BuildAsync();

        result.ShouldFailWith("BRDL0021").ShouldPrint($"'{transport}'");
        File.Exists("/tmp/brdl-e2e-ext-ran").ShouldBeFalse();
        project.FilesInDownloadFolder().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("BuildrootDownloadStallTimeout", "soon")]
    [InlineData("BuildrootDownloadStallTimeout", "0")]
    [InlineData("BuildrootDownloadTimeout", "-1")]
    public async Task A_time_limit_that_is_not_a_number_of_seconds_is_BRDL0020_naming_the_property(string property, string value)
    {
        using var server = new LoopbackHttpServer();
        using var project = new EndToEndProject(package, output, "bad-limit");
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" />""");

        BuildResult result = await project.BuildAsync($"-p:{property}={value}");

        result.ShouldFailWith("BRDL0029").ShouldPrint(property);
        server.Requests.ShouldBeEmpty();
    }
}
