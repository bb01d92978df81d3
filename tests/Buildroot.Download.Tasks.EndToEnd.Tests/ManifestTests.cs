using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>Buildroot <c>.mk</c> manifests as packages, and <c>BuildrootShowInfo</c> describing them.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ManifestTests(PackedPackage package, ITestOutputHelper output)
{
    // Nothing listens on port 1: the show-info target must not need the network to describe a package.
    private const string UnreachableSite = "http://127.0.0.1:1/libfoo";

    [Fact]
    public async Task Manifests_are_read_into_packages_that_BuildrootShowInfo_describes()
    {
        using var project = new EndToEndProject(package, output, "showinfo");
        string libfooHash = project.WriteFile("packages/libfoo/libfoo.hash", "sha256  " + new string('1', 64) + "  libfoo-2.4.1.tar.xz\n");
        project.WriteFile("packages/libfoo/libfoo.mk", $"""
            ################################################################################
            #
            # libfoo
            #
            ################################################################################

            LIBFOO_VERSION = 2.4.1
            LIBFOO_SOURCE = libfoo-$(LIBFOO_VERSION).tar.xz
            LIBFOO_SITE = {UnreachableSite}
            LIBFOO_LICENSE = MIT
            LIBFOO_LICENSE_FILES = COPYING

            $(eval $(autotools-package))

            """);
        project.WriteFile("packages/libbar/libbar.hash", "sha256  " + new string('2', 64) + "  libbar-1.0.tar.gz\n");
        string libbarVersionedHash = project.WriteFile("packages/libbar/1.0/libbar.hash", "sha256  " + new string('3', 64) + "  libbar-1.0.tar.gz\n");
        project.WriteFile("packages/libbar/libbar.mk", """
            LIBBAR_VERSION = 1.0
            LIBBAR_SITE = $(call github,example,libbar,v$(LIBBAR_VERSION))

            $(eval $(generic-package))

            """);
        project.WriteProject("""<BuildrootManifest Include="packages/*/*.mk" />""");

        BuildResult result = await project.RunTargetAsync("BuildrootShowInfo");

        result.ShouldSucceed();
        string json = Path.Combine(project.IntermediateFolder, ShowInfo.FileName);
        result.ShouldPrint(json);
        ShowInfo info = ShowInfo.Read(json);
        info.Packages.Select(p => p.Name).Order(StringComparer.Ordinal).ShouldBe(["libbar", "libfoo"]);

        ShowInfoPackage libfoo = info.Package("libfoo");
        (libfoo.Version, libfoo.Method, libfoo.DlSubdir, libfoo.Transient).ShouldBe(("2.4.1", "wget", "libfoo", false));
        libfoo.HashFiles.Select(FullPath(project)).ShouldBe([libfooHash]);
        ShowInfoFile libfooSource = libfoo.Files.ShouldHaveSingleItem();
        libfooSource.Name.ShouldBe("libfoo-2.4.1.tar.xz");
        libfooSource.Path.ShouldBe(project.DownloadedPath("libfoo", "libfoo-2.4.1.tar.xz"));
        libfooSource.Uris.ShouldBe([new ShowInfoUri("wget", UnreachableSite)]);

        // $(call github,…), the default source name, and the hash file of the version folder first.
        ShowInfoPackage libbar = info.Package("libbar");
        (libbar.Version, libbar.Method, libbar.DlSubdir).ShouldBe(("1.0", "wget", "libbar"));
        libbar.HashFiles.Select(FullPath(project)).ShouldBe([libbarVersionedHash]);
        ShowInfoFile libbarSource = libbar.Files.ShouldHaveSingleItem();
        libbarSource.Name.ShouldBe("libbar-1.0.tar.gz");
        libbarSource.Uris.ShouldBe([new ShowInfoUri("wget", "https://github.com/example/libbar/archive/v1.0")]);

        project.FilesInDownloadFolder().ShouldBeEmpty();
    }

    [Fact]
    public async Task Manifest_package_is_downloaded_and_checked_against_the_hash_file_beside_it()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("libfoo-2.4.1");
        server.Serve("/libfoo/libfoo-2.4.1.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "mkdownload");
        project.WriteFile("packages/libfoo/libfoo.hash", Payloads.HashLine("libfoo-2.4.1.tar.gz", tarball));
        project.WriteFile("packages/libfoo/libfoo.mk", $"""
            LIBFOO_VERSION = 2.4.1
            LIBFOO_SITE = {server.BaseUri}/libfoo
            $(eval $(generic-package))

            """);
        project.WriteProject("""<BuildrootManifest Include="packages/*/*.mk" />""");

        BuildResult result = await project.BuildAsync();

        result.ShouldSucceed().ShouldNotWarn("BRDL0201").ShouldPrint(">>> libfoo 2.4.1 Downloading");
        string landed = project.DownloadedPath("libfoo", "libfoo-2.4.1.tar.gz");
        File.ReadAllBytes(landed).ShouldBe(tarball);
        result.DownloadedFiles.ShouldBe([new DownloadedFile(landed, "libfoo", Transient: false, Verified: true)], result.ToString());
    }

    [Fact]
    public async Task A_variable_the_manifest_does_not_define_comes_from_BuildrootManifestVariable_or_is_warned_about()
    {
        using var project = new EndToEndProject(package, output, "mkvariable");
        project.WriteFile("packages/hello/hello.mk", """
            HELLO_VERSION = 2.12
            HELLO_SITE = $(BR2_GNU_MIRROR)/hello
            $(eval $(generic-package))

            """);
        project.WriteProject("""
            <BuildrootManifest Include="packages/*/*.mk" />
            <BuildrootManifestVariable Include="BR2_GNU_MIRROR" Value="$(BuildrootMirror)" Condition="'$(BuildrootMirror)' != ''" />
            """);

        BuildResult unknown = await project.RunTargetAsync("BuildrootShowInfo");
        BuildResult given = await project.RunTargetAsync(
            "BuildrootShowInfo",
            "-p:BuildrootMirror=http://127.0.0.1:1/gnu");

        unknown.ShouldSucceed().ShouldWarn("BRDL0701");
        given.ShouldSucceed().ShouldNotWarn("BRDL0701");
        ShowInfo.Read(Path.Combine(project.IntermediateFolder, ShowInfo.FileName)).Package("hello")
            .Files.ShouldHaveSingleItem().Uris.ShouldBe([new ShowInfoUri("wget", "http://127.0.0.1:1/gnu/hello")]);
    }

    private static Func<string, string> FullPath(EndToEndProject project) => path => Path.GetFullPath(path, project.ProjectDirectory);
}
