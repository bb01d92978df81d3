using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>The package installs into a project and describes its packages without any network.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class PackageLoadTests(PackedPackage package, ITestOutputHelper output)
{
    // Nothing listens on port 1: a target that tried to download would fail.
    private const string Primary = "http://127.0.0.1:1/mirror";
    private const string Backup = "http://127.0.0.1:1/backup";

    [Fact]
    public async Task Package_loads_and_BuildrootShowInfo_describes_every_download_without_the_network()
    {
        using var project = new EndToEndProject(package, output, "load");
        string zlibHash = project.WriteFile("packages/zlib/zlib.hash", "sha256  " + new string('a', 64) + "  zlib-1.3.1.tar.xz\n");
        project.WriteProject("""
            <BuildrootPackage Include="zlib" Version="1.3.1" Site="https://zlib.net" Source="zlib-1.3.1.tar.xz" HashFiles="packages/zlib/zlib.hash" />
            <BuildrootPackage Include="host-ncurses" Version="6.4" Site="ftp://ftp.example.org/ncurses" />
            <BuildrootPackage Include="libgit" Version="v1.2" Site="https://git.example.org/libgit.git" SiteMethod="git" />
            """);

        BuildResult result = await project.RunTargetAsync(
            "BuildrootShowInfo",
            $"-p:BuildrootPrimarySite={Primary}",
            $"-p:BuildrootBackupSite={Backup}");

        result.ShouldSucceed();
        ShowInfo info = ShowInfo.Read(Path.Combine(project.IntermediateFolder, ShowInfo.FileName));

        ShowInfoPackage zlib = info.Package("zlib");
        (zlib.Version, zlib.Method, zlib.DlSubdir, zlib.Transient).ShouldBe(("1.3.1", "wget", "zlib", false));
        zlib.HashFiles.Select(p => Path.GetFullPath(p, project.ProjectDirectory)).ShouldBe([zlibHash]);
        ShowInfoFile zlibSource = zlib.Files.ShouldHaveSingleItem();
        (zlibSource.Name, zlibSource.Path).ShouldBe(("zlib-1.3.1.tar.xz", project.DownloadedPath("zlib", "zlib-1.3.1.tar.xz")));
        zlibSource.Uris.ShouldBe(
        [
            new ShowInfoUri("wget", $"{Primary}/zlib"),
            new ShowInfoUri("wget", Primary),
            new ShowInfoUri("wget", "https://zlib.net"),
            new ShowInfoUri("wget", $"{Backup}/zlib"),
            new ShowInfoUri("wget", Backup),
        ]);

        // ftp goes to curl; a host- package shares the folder of its target package.
        ShowInfoPackage ncurses = info.Package("host-ncurses");
        (ncurses.Method, ncurses.DlSubdir).ShouldBe(("curl", "ncurses"));

        // A generated archive carries its format in its name; mirrors are still plain files.
        ShowInfoPackage libgit = info.Package("libgit");
        libgit.Method.ShouldBe("git");
        ShowInfoFile libgitSource = libgit.Files.ShouldHaveSingleItem();
        libgitSource.Name.ShouldBe("libgit-v1.2-git4.tar.gz");
        libgitSource.Uris.ShouldBe(
        [
            new ShowInfoUri("wget", $"{Primary}/libgit"),
            new ShowInfoUri("wget", Primary),
            new ShowInfoUri("git", "https://git.example.org/libgit.git"),
            new ShowInfoUri("wget", $"{Backup}/libgit"),
            new ShowInfoUri("wget", Backup),
        ]);

        project.FilesInDownloadFolder().ShouldBeEmpty();
    }

    [Fact]
    public async Task The_MSBuild_of_SDK_10_runs_the_task_assembly_built_and_compiled_ahead_of_time_for_dotnet_10()
    {
        using var project = new EndToEndProject(package, output, "load10");
        project.WriteProject("""<BuildrootPackage Include="zlib" Version="1.3.1" Site="https://zlib.net" />""");

        // -v:d: MSBuild then says which file each task comes from.
        BuildResult result = await project.RunTargetAsync("BuildrootShowInfo", "-v:d");

        result.ShouldSucceed();
        result.Output.ShouldMatch(@"Using ""ShowBuildrootInfo"" task from assembly ""[^""]*[/\\]tasks[/\\]net10\.0[/\\]Buildroot\.Download\.Tasks\.dll""");
    }
}
