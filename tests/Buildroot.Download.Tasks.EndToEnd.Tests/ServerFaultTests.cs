using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>Servers that fail, cut the connection or lie: the build gets the right bytes elsewhere or fails cleanly.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ServerFaultTests(PackedPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task Server_error_once_is_tried_again_on_the_same_uri_without_a_warning_or_the_backup_site()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("zlib-1.3.1");
        server.Serve("/upstream/zlib-1.3.1.tar.gz", tarball);
        server.Serve("/backup/zlib-1.3.1.tar.gz", tarball);
        server.Misbehave("/upstream/zlib-1.3.1.tar.gz", LoopbackHttpServer.Fault.ServerError);
        using EndToEndProject project = ZlibProject("error500", server, tarball);

        BuildResult result = await project.BuildAsync($"-p:BuildrootBackupSite={server.BaseUri}/backup");

        // A 500 is worth another try (wget -t 3): the user sees a plain success, not a failed URI.
        result.ShouldSucceed();
        result.WarningCodes.ShouldBeEmpty(result.ToString());
        File.ReadAllBytes(project.DownloadedPath("zlib", "zlib-1.3.1.tar.gz")).ShouldBe(tarball);
        server.Requests.Where(r => r.Method == "GET").Select(r => r.Path).ShouldBe(
        [
            "/upstream/zlib-1.3.1.tar.gz",
            "/upstream/zlib-1.3.1.tar.gz",
        ]);
    }

    [Fact]
    public async Task Server_failing_every_try_is_recovered_by_the_backup_site_without_a_warning_even_with_warnaserror()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("zlib-1.3.1");
        server.Serve("/upstream/zlib-1.3.1.tar.gz", tarball);
        server.Serve("/backup/zlib-1.3.1.tar.gz", tarball);
        server.Misbehave("/upstream/zlib-1.3.1.tar.gz", LoopbackHttpServer.Fault.ServerError, times: 3);
        using EndToEndProject project = ZlibProject("error500x3", server, tarball);

        // -warnaserror: a CI build that treats warnings as errors must not fail when every file arrived.
        BuildResult result = await project.BuildAsync($"-p:BuildrootBackupSite={server.BaseUri}/backup", "-warnaserror", "-v:detailed");

        result.ShouldSucceed();
        result.WarningCodes.ShouldBeEmpty(result.ToString());
        result.Output.Split('\n').ShouldContain(line => line.Contains("/upstream/zlib-1.3.1.tar.gz", StringComparison.Ordinal) && line.Contains("500", StringComparison.Ordinal), result.ToString());
        File.ReadAllBytes(project.DownloadedPath("zlib", "zlib-1.3.1.tar.gz")).ShouldBe(tarball);
        server.RequestCount("/upstream/zlib-1.3.1.tar.gz").ShouldBe(3);
        server.RequestCount("/backup/zlib-1.3.1.tar.gz").ShouldBe(1);
    }

    [Fact]
    public async Task Connection_dropped_mid_body_is_a_failed_attempt_even_without_a_hash_file()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("nohash-1.0", kilobytes: 64);
        server.Serve("/primary/nohash-1.0.tar.gz", tarball);
        server.Serve("/upstream/nohash-1.0.tar.gz", tarball);
        server.Misbehave("/primary/nohash-1.0.tar.gz", LoopbackHttpServer.Fault.DropMidBody);
        using var project = new EndToEndProject(package, output, "dropped");
        project.WriteProject($"""<BuildrootPackage Include="nohash" Version="1.0" Site="{server.BaseUri}/upstream" />""");

        BuildResult result = await project.BuildAsync($"-p:BuildrootPrimarySite={server.BaseUri}/primary");

        // No hash can catch the half file here: only the short body itself can. The whole file
        // then comes from a second try of the primary site or from the package's site.
        result.ShouldSucceed().ShouldWarn("BRDL0201");
        File.ReadAllBytes(project.DownloadedPath("nohash", "nohash-1.0.tar.gz")).ShouldBe(tarball);
    }

    [Fact]
    public async Task Wrong_bytes_on_the_primary_site_are_rejected_and_the_package_site_is_used()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("zlib-1.3.1");
        server.Serve("/primary/zlib/zlib-1.3.1.tar.gz", tarball);
        server.Serve("/upstream/zlib-1.3.1.tar.gz", tarball);
        server.Misbehave("/primary/zlib/zlib-1.3.1.tar.gz", LoopbackHttpServer.Fault.WrongBytes);
        using EndToEndProject project = ZlibProject("wrongbytes", server, tarball);

        BuildResult result = await project.BuildAsync($"-p:BuildrootPrimarySite={server.BaseUri}/primary");

        result.ShouldSucceed();
        File.ReadAllBytes(project.DownloadedPath("zlib", "zlib-1.3.1.tar.gz")).ShouldBe(tarball);
        server.Requests.Where(r => r.Method == "GET").Select(r => r.Path).ShouldBe(
        [
            "/primary/zlib/zlib-1.3.1.tar.gz",
            "/primary/zlib-1.3.1.tar.gz",
            "/upstream/zlib-1.3.1.tar.gz",
        ]);
    }

    [Fact]
    public async Task All_uris_failing_is_BRDL0101_and_leaves_the_download_folder_untouched()
    {
        using var server = new LoopbackHttpServer();
        server.Serve("/zlib-1.3.1.tar.gz", Payloads.Bytes("zlib-1.3.1"));
        server.Misbehave("/zlib-1.3.1.tar.gz", LoopbackHttpServer.Fault.ServerError, times: 10);
        using var project = new EndToEndProject(package, output, "allfail");
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" />""");

        BuildResult result = await project.BuildAsync();

        result.ShouldFailWith("BRDL0101");
        project.FilesInDownloadFolder().ShouldBeEmpty();
    }

    /// <summary>A project with zlib 1.3.1 from <c>/upstream</c> of <paramref name="server"/>, hashed as <paramref name="tarball"/>.</summary>
    private EndToEndProject ZlibProject(string name, LoopbackHttpServer server, byte[] tarball)
    {
        var project = new EndToEndProject(package, output, name);
        project.WriteFile("zlib.hash", Payloads.HashLine("zlib-1.3.1.tar.gz", tarball));
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}/upstream" HashFiles="zlib.hash" />""");
        return project;
    }
}
