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
        task.Packages.Select(p => p.ItemSpec).ShouldBe(["host-tool", "zlib"], ignoreOrder: true);
        ITaskItem package = task.Packages.Single(p => p.ItemSpec == "zlib");
        package.GetMetadata("Version").ShouldBe("1.3.1");
        package.GetMetadata("Source").ShouldBe("zlib-1.3.1.tar.xz");
        package.GetMetadata("Site").ShouldBe("https://zlib.net");
        package.GetMetadata("License").ShouldBe("Zlib");
        package.GetMetadata("HashFiles").ShouldBe(hash);
        package.GetMetadata("DefiningManifest").ShouldBe(zlib);
        task.Packages.Single(p => p.ItemSpec == "host-tool").GetMetadata("SiteMethod").ShouldBe("git");
        task.Packages.Single(p => p.ItemSpec == "host-tool").GetMetadata("HashFiles").ShouldBeEmpty("tool.hash is not there: the package has no hash file (a warning), rather than one that cannot be read (an error)");
    }

    [Fact]
    public void A_manifest_with_an_invalid_value_is_left_out_with_a_warning_naming_the_file_while_the_others_are_read()
    {
        string good = _folder.WriteFile("packages/good/good.mk", "GOOD_VERSION = 1\nGOOD_SITE = https://example.org\n$(eval $(generic-package))\n");
        string bad = _folder.WriteFile("packages/bad/bad.mk", "BAD_VERSION = 1\nBAD_SITE = https://example.org\nBAD_SITE_METHOD = git\nBAD_GIT_LFS = YES\nBAD_SITE_METHOD = wget\n$(eval $(generic-package))\n");

        ReadBuildrootManifests task = Task(bad, good);

        task.Execute().ShouldBeTrue(_engine.Transcript);
        BuildWarningEventArgs warning = _engine.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(MessageCodes.ManifestPackageInvalid);
        (warning.File, warning.LineNumber).ShouldBe((bad, 6));
        warning.Message!.ShouldContain("Package 'bad' is left out");
        task.Packages.Select(p => p.ItemSpec).ShouldBe(["good"]);
    }

    [Fact]
    public void A_package_left_out_is_an_error_only_when_it_is_needed()
    {
        string app = _folder.WriteFile("package/app/app.mk", "APP_VERSION = 1\nAPP_SITE = https://example.org\nAPP_DEPENDENCIES = libbar\n$(eval $(generic-package))\n");
        string libbar = _folder.WriteFile("package/libbar/libbar.mk", "LIBBAR_VERSION = $(BR2_LIBBAR_VERSION)\nLIBBAR_SITE = https://example.org\n$(eval $(generic-package))\n");
        string other = _folder.WriteFile("package/other/other.mk", "OTHER_VERSION = 2\nOTHER_SITE = https://example.org\n$(eval $(generic-package))\n");

        ReadBuildrootManifests all = Task(app, libbar, other);
        all.Execute().ShouldBeTrue(_engine.Transcript);
        all.Packages.Select(p => p.ItemSpec).ShouldBe(["app", "other"]);
        _engine.WarningCodes.ShouldBe([MessageCodes.ManifestConstructNotUnderstood]);

        var engine = new RecordingBuildEngine();
        ReadBuildrootManifests onlyOther = Task(app, libbar, other);
        onlyOther.BuildEngine = engine;
        onlyOther.SelectedPackages = ["other"];
        onlyOther.Execute().ShouldBeTrue(engine.Transcript);
        onlyOther.Packages.Select(p => p.ItemSpec).ShouldBe(["other"]);

        engine = new RecordingBuildEngine();
        ReadBuildrootManifests needsLibbar = Task(app, libbar, other);
        needsLibbar.BuildEngine = engine;
        needsLibbar.SelectedPackages = ["app"];
        needsLibbar.Execute().ShouldBeFalse();
        BuildErrorEventArgs error = engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe(MessageCodes.NeededPackageLeftOut);
        (error.File, error.LineNumber).ShouldBe((libbar, 1));
        error.Message!.ShouldContain("Package 'libbar' is needed, as 'app' depends on it");
        error.Message!.ShouldContain("$(BR2_LIBBAR_VERSION) is not defined");
    }

    [Fact]
    public void Selecting_a_package_no_manifest_declares_is_an_error()
    {
        string app = _folder.WriteFile("package/app/app.mk", "APP_VERSION = 1\nAPP_SITE = https://example.org\n$(eval $(generic-package))\n");

        ReadBuildrootManifests task = Task(app);
        task.SelectedPackages = ["ap"];

        task.Execute().ShouldBeFalse();
        _engine.ErrorCodes.ShouldBe([MessageCodes.UnknownSelectedPackage]);
    }

    [Fact]
    public void Metadata_reach_the_next_task_exactly_as_the_manifest_wrote_them()
    {
        string joe = _folder.WriteFile("package/joe/joe.mk", "JOE_VERSION = 4.6\nJOE_SITE = http://downloads.sourceforge.net/project/joe-editor/JOE%20sources/joe-$(JOE_VERSION)\nJOE_SOURCE = joe$$it;100%@'*?.tar.gz\n$(eval $(generic-package))\n");

        ReadBuildrootManifests task = Task(joe);
        task.Execute().ShouldBeTrue(_engine.Transcript);

        // MSBuild hands a task's output items to the next task, which reads them unescaped.
        ITaskItem item = task.Packages.ShouldHaveSingleItem();
        item.GetMetadata("Site").ShouldBe("http://downloads.sourceforge.net/project/joe-editor/JOE%20sources/joe-4.6");
        item.GetMetadata("Source").ShouldBe("joe$it;100%@'*?.tar.gz");
    }

    [Fact]
    public void A_package_defined_by_two_manifests_is_an_error()
    {
        string first = _folder.WriteFile("a/foo/foo.mk", "FOO_VERSION = 1\nFOO_SITE = https://example.org\n$(eval $(generic-package))\n");
        string second = _folder.WriteFile("b/foo/foo.mk", "FOO_VERSION = 2\nFOO_SITE = https://example.org\n$(eval $(generic-package))\n");

        ReadBuildrootManifests task = Task(first, second, first);

        task.Execute().ShouldBeFalse();
        BuildErrorEventArgs error = _engine.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe(MessageCodes.PackageDefinedTwice);
        error.Message!.ShouldContain(first);
        error.Message!.ShouldContain(second);
        task.Packages.ShouldHaveSingleItem().GetMetadata("DefiningManifest").ShouldBe(first);
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
        task.Packages.ShouldHaveSingleItem().GetMetadata("Site").ShouldBe("https://ftpmirror.gnu.org/make");
        BuildWarningEventArgs warning = _engine.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(MessageCodes.ManifestConstructNotUnderstood);
        (warning.File, warning.LineNumber).ShouldBe((sed, 2));
        warning.Message!.ShouldContain($"{sed}:2: $(BR2_KERNEL_MIRROR) is not defined");
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
