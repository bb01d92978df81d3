using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Buildroot.Download.Tasks.Tests.Tasks;

public sealed class ReadBuildrootManifestsTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("readmk");
    private readonly RecordingBuildEngine _engine = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Each_manifest_becomes_a_package_item_with_BuildrootPackage_metadata()
    {
        string zlib = _folder.WriteFile("packages/zlib/zlib.mk", "ZLIB_VERSION = 1.3.1\nZLIB_SOURCE = zlib-$(ZLIB_VERSION).tar.xz\nZLIB_SITE = https://zlib.net\nZLIB_LICENSE = Zlib\n$(eval $(generic-package))\n");
        string hash = _folder.WriteFile("packages/zlib/zlib.hash", "# none yet\n");
        string tool = _folder.WriteFile("packages/tool/tool.mk", "TOOL_VERSION = v1\nTOOL_SITE = https://git.example.org/tool.git\nTOOL_SITE_METHOD = git\n$(eval $(host-generic-package))\n");

        ReadBuildrootManifests task = Task(zlib, tool);

        task.Execute().ShouldBeTrue(_engine.Transcript);
        task.Packages.Select(p => p.ItemSpec).ShouldBe(["zlib", "host-tool"]);
        ITaskItem package = task.Packages[0];
        package.GetMetadata("Version").ShouldBe("1.3.1");
        package.GetMetadata("Source").ShouldBe("zlib-1.3.1.tar.xz");
        package.GetMetadata("Site").ShouldBe("https://zlib.net");
        package.GetMetadata("License").ShouldBe("Zlib");
        package.GetMetadata("HashFiles").ShouldBe(hash);
        package.GetMetadata("DefiningManifest").ShouldBe(zlib);
        task.Packages[1].GetMetadata("SiteMethod").ShouldBe("git");
        task.Packages[1].GetMetadata("HashFiles").ShouldBeEmpty("tool.hash is not there: the package has no hash file (a warning), rather than one that cannot be read (an error)");
    }

    [Fact]
    public void A_manifest_with_an_invalid_value_fails_naming_the_file_while_the_others_are_read()
    {
        string good = _folder.WriteFile("packages/good/good.mk", "GOOD_VERSION = 1\nGOOD_SITE = https://example.org\n$(eval $(generic-package))\n");
        string bad = _folder.WriteFile("packages/bad/bad.mk", "BAD_VERSION = 1\nBAD_SITE = https://example.org\nBAD_SITE_METHOD = rsync\n$(eval $(generic-package))\n");

        ReadBuildrootManifests task = Task(bad, good);

        task.Execute().ShouldBeFalse();
        BuildErrorEventArgs error = _engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe(MessageCodes.UnknownSiteMethod);
        error.Message!.ShouldStartWith($"{bad}: Package 'bad': SiteMethod 'rsync'");
        task.Packages.Select(p => p.ItemSpec).ShouldBe(["good"]);
    }

    [Fact]
    public void A_package_defined_by_two_manifests_is_an_error()
    {
        string first = _folder.WriteFile("a/foo/foo.mk", "FOO_VERSION = 1\n$(eval $(generic-package))\n");
        string second = _folder.WriteFile("b/foo/foo.mk", "FOO_VERSION = 2\n$(eval $(generic-package))\n");

        ReadBuildrootManifests task = Task(first, second, first);

        task.Execute().ShouldBeFalse();
        BuildErrorEventArgs error = _engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe(MessageCodes.PackageDefinedTwice);
        error.Message!.ShouldContain(first);
        error.Message!.ShouldContain(second);
        task.Packages.ShouldHaveSingleItem().GetMetadata("Version").ShouldBe("1");
    }

    [Fact]
    public void Variables_reach_the_manifests_and_warnings_name_file_and_line()
    {
        string make = _folder.WriteFile("make/make.mk", "MAKE_VERSION = 4.4.1\nMAKE_SITE = $(BR2_GNU_MIRROR)/make\n$(eval $(autotools-package))\n");
        string sed = _folder.WriteFile("sed/sed.mk", "SED_VERSION = 4.9\nSED_SITE = $(BR2_KERNEL_MIRROR)/sed\n$(eval $(autotools-package))\n");
        var mirror = new TaskItem("BR2_GNU_MIRROR");
        mirror.SetMetadata("Value", "https://ftpmirror.gnu.org");

        ReadBuildrootManifests task = Task(make, sed);
        task.Variables = [mirror];

        task.Execute().ShouldBeTrue(_engine.Transcript);
        task.Packages[0].GetMetadata("Site").ShouldBe("https://ftpmirror.gnu.org/make");
        task.Packages[1].GetMetadata("Site").ShouldBeEmpty();
        BuildWarningEventArgs warning = _engine.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(MessageCodes.ManifestConstructNotUnderstood);
        warning.Message!.ShouldStartWith($"{sed}:2: $(BR2_KERNEL_MIRROR) is not defined in sed.mk");
    }

    [Fact]
    public void A_missing_manifest_is_an_error()
    {
        ReadBuildrootManifests task = Task(_folder.Combine("nope", "nope.mk"));

        task.Execute().ShouldBeFalse();
        _engine.ErrorCodes.ShouldBe([MessageCodes.ManifestUnreadable]);
    }

    private ReadBuildrootManifests Task(params string[] manifests) =>
        new() { BuildEngine = _engine, Manifests = manifests.Select(m => (ITaskItem)new TaskItem(m)).ToArray() };
}
