using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;
using Buildroot.Download.Tasks.TestUtilities;
using Buildroot.Download.Tasks.Vendoring;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Buildroot.Download.Tasks.Tests.Vendoring;

/// <summary>The post-processes as DownloadPackage runs them: a package's archive leaves the download step with its dependencies.</summary>
[Collection(CargoVendoringCollection.Name)]
public sealed class DownloadPackageCargoTests : IDisposable
{
    private readonly LocalCrateRegistry _registry;
    private readonly VendoringScenario _scenario = new("dl-cargo");
    private readonly RecordingBuildEngine _engine = new();

    public DownloadPackageCargoTests(CrateRegistryFixture fixture)
    {
        _registry = fixture.Registry;
        _registry.ConfigureCargoHome(_scenario.CargoHome);
    }

    public void Dispose() => _scenario.Dispose();

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public void An_archive_that_fails_to_vendor_is_thrown_away_and_the_next_site_gives_the_vendored_file()
    {
        // The primary mirror serves an archive without Cargo.toml: vendoring it fails, the wrapper moves on.
        string broken = Path.GetDirectoryName(_scenario.Root.WriteFile("broken/foo-1.0/README", "not a crate\n"))!;
        SourceArchives.Pack(broken, MirrorFile("mirror", "foo-1.0-cargo6.tar.gz"));
        SourceArchives.Pack(_registry.WritePackage(_scenario.Root.Combine("src"), "foo-1.0", "foo", ["brdl-greeting"]), MirrorFile("upstream", "foo-1.0-cargo6.tar.gz"));
        var task = new DownloadPackage
        {
            BuildEngine = _engine,
            Packages = [Package("foo", ("Version", "1.0"), ("Site", $"file://{_scenario.Root.Combine("upstream")}"), ("DownloadPostProcess", PostProcessCatalog.Cargo))],
            DownloadDirectory = _scenario.DownloadDirectory,
            ScratchDirectory = _scenario.Root.Combine("obj"),
            PrimarySite = $"file://{_scenario.Root.Combine("mirror")}",
        };

        task.Execute().ShouldBeTrue(_engine.Transcript);

        string downloaded = task.DownloadedFiles.Single().ItemSpec;
        downloaded.ShouldBe(Path.Combine(_scenario.DownloadDirectory, "foo", "foo-1.0-cargo6.tar.gz"));
        SourceArchives.ReadEntries(downloaded).Select(e => e.Name).ShouldContain("foo-1.0/VENDOR/brdl-greeting/src/lib.rs");
        _engine.Warnings.ShouldNotContain(w => w.Message!.Contains("has no Cargo.toml"), "the mirror's miss is recovered by the package's site: nothing to warn about");
        _engine.Messages.ShouldContain(m => m.Message!.Contains("has no Cargo.toml"));
    }

    private string MirrorFile(string site, string name)
    {
        Directory.CreateDirectory(_scenario.Root.Combine(site));
        return _scenario.Root.Combine(site, name);
    }

    [RequiresToolsFact("tar", "gzip")]
    public void A_hostile_archive_refused_while_vendoring_fails_the_package_with_BRDL0402_not_a_generic_code()
    {
        Directory.CreateDirectory(_scenario.Root.Combine("upstream"));
        SourceArchives.Write(
            _scenario.Root.Combine("upstream", "foo-1.0-cargo6.tar.gz"),
            SourceArchives.DirectoryEntry("foo-1.0/"),
            SourceArchives.FileEntry("foo-1.0/Cargo.toml", "[package]\nname = \"foo\"\nversion = \"1.0.0\"\n"),
            SourceArchives.FileEntry("foo-1.0/../../../outside/owned.txt", "owned"));
        var task = new DownloadPackage
        {
            BuildEngine = _engine,
            Packages = [Package("foo", ("Version", "1.0"), ("Site", $"file://{_scenario.Root.Combine("upstream")}"), ("DownloadPostProcess", PostProcessCatalog.Cargo))],
            DownloadDirectory = _scenario.DownloadDirectory,
            ScratchDirectory = _scenario.Root.Combine("obj"),
        };

        task.Execute().ShouldBeFalse();

        // The one error carries the real cause's code, and says which site delivered the archive.
        _engine.ErrorCodes.ShouldBe([MessageCodes.UnsafeArchiveEntry], _engine.Transcript);
        _engine.Errors[0].Message!.ShouldContain(_scenario.Root.Combine("upstream"));
        _engine.Errors[0].Message!.ShouldContain("unsafe");
        File.Exists(Path.Combine(_scenario.DownloadDirectory, "foo", "foo-1.0-cargo6.tar.gz")).ShouldBeFalse();
    }

    internal static TaskItem Package(string name, params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(name);
        foreach ((string key, string value) in metadata)
        {
            item.SetMetadata(key, value);
        }

        return item;
    }
}

[Collection(GoVendoringCollection.Name)]
public sealed class DownloadPackageGoTests : IDisposable
{
    private readonly GoFileProxy _proxy;
    private readonly VendoringScenario _scenario = new("dl-go");
    private readonly RecordingBuildEngine _engine = new();

    public DownloadPackageGoTests(GoProxyFixture fixture)
    {
        _proxy = fixture.Proxy;
    }

    public void Dispose() => _scenario.Dispose();

    [RequiresToolsFact("go", "tar", "gzip")]
    public void A_go_package_is_vendored_in_its_subfolder_through_the_configured_proxy_and_repacked_under_its_base_name()
    {
        // Upstream named its top folder otherwise (as GitHub archives do); Buildroot repacks under <name>-<version>.
        Directory.CreateDirectory(_scenario.Root.Combine("upstream"));
        SourceArchives.Pack(
            _proxy.WriteModule(_scenario.Root.Combine("src"), "bar-upstream-v2.0", ["example.com/brdl/shout"], moduleFolder: "cmd"),
            _scenario.Root.Combine("upstream", "bar-2.0-go2.tar.gz"));
        var task = new DownloadPackage
        {
            BuildEngine = _engine,
            Packages = [DownloadPackageCargoTests.Package("bar", ("Version", "2.0"), ("Site", $"file://{_scenario.Root.Combine("upstream")}"), ("DownloadPostProcess", PostProcessCatalog.Go), ("GoSubdir", "cmd"))],
            DownloadDirectory = _scenario.DownloadDirectory,
            ScratchDirectory = _scenario.Root.Combine("obj"),
            GoProxy = _proxy.Url,
        };

        task.Execute().ShouldBeTrue(_engine.Transcript);

        string[] entries = SourceArchives.ReadEntries(task.DownloadedFiles.Single().ItemSpec).Select(e => e.Name).ToArray();
        entries.ShouldContain("bar-2.0/cmd/vendor/example.com/brdl/shout/shout.go");
        entries.ShouldAllBe(name => name.StartsWith("bar-2.0/", StringComparison.Ordinal));
    }
}
