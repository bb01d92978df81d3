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

    [Fact]
    public async Task A_tree_with_a_broken_manifest_still_writes_show_info_pointing_at_the_line_and_fails_only_when_the_package_is_needed()
    {
        using var project = new EndToEndProject(package, output, "mkbroken");
        project.WriteFile("package/good/good.mk", $"GOOD_VERSION = 1.0\nGOOD_SITE = {UnreachableSite}\n$(eval $(generic-package))\n");
        string broken = project.WriteFile("package/broken/broken.mk", "BROKEN_VERSION = 1.0\nBROKEN_SITE = $(BR2_BROKEN_MIRROR)/broken\n$(eval $(generic-package))\n");
        project.WriteFile("package/skeleton/skeleton.mk", "SKELETON_ADD_TOOLCHAIN_DEPENDENCY = NO\n$(eval $(generic-package))\n");
        project.WriteFile("package/joe/joe.mk", "JOE_VERSION = 4.6\nJOE_SITE = http://127.0.0.1:1/project/joe-editor/JOE%20sources/joe-$(JOE_VERSION)\nJOE_DEPENDENCIES = broken\n$(eval $(generic-package))\n");
        project.WriteProject("""<BuildrootManifest Include="package/*/*.mk" />""");

        BuildResult all = await project.RunTargetAsync("BuildrootShowInfo");
        BuildResult needed = await project.RunTargetAsync("BuildrootShowInfo", "-p:BuildrootPackages=joe");

        all.ShouldSucceed();
        all.LinesWith("BRDL0701").ShouldContain(line => line.Contains($"{broken}(2): warning BRDL0701", StringComparison.Ordinal));
        ShowInfo info = ShowInfo.Read(Path.Combine(project.IntermediateFolder, ShowInfo.FileName));
        info.Packages.Select(p => p.Name).Order(StringComparer.Ordinal).ShouldBe(["good", "joe"]);
        info.Package("joe").Files.ShouldHaveSingleItem().Uris.ShouldBe([new ShowInfoUri("wget", "http://127.0.0.1:1/project/joe-editor/JOE%20sources/joe-4.6")]);
        needed.ShouldFailWith("BRDL0705");
        needed.ErrorCodes.ShouldBe(["BRDL0705"], ignoreOrder: true);
        needed.LinesWith("BRDL0705").ShouldContain(line => line.Contains($"{broken}(2): error BRDL0705", StringComparison.Ordinal) && line.Contains("'joe' depends on it", StringComparison.Ordinal));
    }

    private static Func<string, string> FullPath(EndToEndProject project) => path => Path.GetFullPath(path, project.ProjectDirectory);
}
