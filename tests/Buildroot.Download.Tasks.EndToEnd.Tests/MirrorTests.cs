using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// The URIs of one file, in Buildroot's order: primary mirror (with, then without, the package's
/// folder), the package's own site, backup mirror (with, then without). One loopback server plays
/// every host under its own path prefix, so its request log is the order in which they were asked.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class MirrorTests(PackedPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task Primary_site_then_package_site_then_backup_site_are_tried_in_that_order()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("libfoo-2.0");
        server.Serve("/backup/libfoo-2.0.tar.gz", tarball); // every URI before the last answers 404
        using var project = new EndToEndProject(package, output, "order");
        project.WriteFile("libfoo.hash", Payloads.HashLine("libfoo-2.0.tar.gz", tarball));
        project.WriteProject($"""<BuildrootPackage Include="libfoo" Version="2.0" Site="{server.BaseUri}/upstream" HashFiles="libfoo.hash" />""");

        BuildResult result = await project.BuildAsync(
            $"-p:BuildrootPrimarySite={server.BaseUri}/primary",
            $"-p:BuildrootBackupSite={server.BaseUri}/backup");

        result.ShouldSucceed();
        GetPaths(server).ShouldBe(
        [
            "/primary/libfoo/libfoo-2.0.tar.gz",
            "/primary/libfoo-2.0.tar.gz",
            "/upstream/libfoo-2.0.tar.gz",
            "/backup/libfoo/libfoo-2.0.tar.gz",
            "/backup/libfoo-2.0.tar.gz",
        ]);
        File.ReadAllBytes(project.DownloadedPath("libfoo", "libfoo-2.0.tar.gz")).ShouldBe(tarball);
    }

    [Fact]
    public async Task Primary_site_only_asks_nothing_but_the_primary_site()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("libfoo-2.0");
        server.Serve("/upstream/libfoo-2.0.tar.gz", tarball);
        server.Serve("/backup/libfoo-2.0.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "primaryonly");
        project.WriteFile("libfoo.hash", Payloads.HashLine("libfoo-2.0.tar.gz", tarball));
        project.WriteProject($"""<BuildrootPackage Include="libfoo" Version="2.0" Site="{server.BaseUri}/upstream" HashFiles="libfoo.hash" />""");

        BuildResult result = await project.BuildAsync(
            $"-p:BuildrootPrimarySite={server.BaseUri}/primary",
            "-p:BuildrootPrimarySiteOnly=true",
            $"-p:BuildrootBackupSite={server.BaseUri}/backup");

        result.ShouldFailWith("BRDL0101");
        GetPaths(server).ShouldBe(["/primary/libfoo/libfoo-2.0.tar.gz", "/primary/libfoo-2.0.tar.gz"]);
        project.FilesInDownloadFolder().ShouldBeEmpty();
    }

    [Fact]
    public async Task Question_mark_in_a_file_name_is_sent_as_percent_3F_to_mirrors_and_as_is_to_the_site()
    {
        const string file = "tool-1.0.tar.gz?raw=true";
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("tool-1.0");
        server.Serve($"/backup/{file}", tarball); // reached as /backup/tool-1.0.tar.gz%3Fraw=true
        using var project = new EndToEndProject(package, output, "qmark");
        project.WriteFile("tool.hash", Payloads.HashLine(file, tarball));
        project.WriteProject($"""<BuildrootPackage Include="tool" Version="1.0" Site="{server.BaseUri}/upstream" Source="{file}" HashFiles="tool.hash" />""");

        BuildResult result = await project.BuildAsync(
            $"-p:BuildrootPrimarySite={server.BaseUri}/primary",
            $"-p:BuildrootBackupSite={server.BaseUri}/backup");

        result.ShouldSucceed();
        GetRawTargets(server).ShouldBe(
        [
            "/primary/tool/tool-1.0.tar.gz%3Fraw=true",
            "/primary/tool-1.0.tar.gz%3Fraw=true",
            "/upstream/tool-1.0.tar.gz?raw=true",
            "/backup/tool/tool-1.0.tar.gz%3Fraw=true",
            "/backup/tool-1.0.tar.gz%3Fraw=true",
        ]);
        File.ReadAllBytes(project.DownloadedPath("tool", file)).ShouldBe(tarball);
    }

    // A HEAD probe, should the http backend send one, says nothing about the order of the URIs.
    private static List<string> GetPaths(LoopbackHttpServer server) =>
        server.Requests.Where(r => r.Method == "GET").Select(r => r.Path).ToList();

    private static List<string> GetRawTargets(LoopbackHttpServer server) =>
        server.Requests.Where(r => r.Method == "GET").Select(r => r.RawTarget).ToList();
}
