using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Vendoring;

/// <summary>The <c>CargoVendor</c> task run in-process, as MSBuild runs it: parameters in, coded messages and outputs back.</summary>
[Collection(CargoVendoringCollection.Name)]
public sealed class CargoVendorTaskTests : IDisposable
{
    private readonly LocalCrateRegistry _registry;
    private readonly VendoringScenario _scenario = new("cargo-task");
    private readonly RecordingBuildEngine _engine = new();

    public CargoVendorTaskTests(CrateRegistryFixture fixture)
    {
        _registry = fixture.Registry;
        _registry.ConfigureCargoHome(_scenario.CargoHome);
    }

    public void Dispose() => _scenario.Dispose();

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public void The_archive_is_rewritten_in_place_with_its_crates_and_named_in_the_output()
    {
        string archive = PackPackage();
        var task = NewTask(archive);

        task.Execute().ShouldBeTrue(_engine.Transcript);

        task.VendoredArchive.ShouldBe(archive);
        task.AlreadyVendored.ShouldBeFalse();
        SourceArchives.ReadEntries(archive).ShouldContain(e => e.Name == "foo-1.0/VENDOR/brdl-greeting/src/lib.rs");
        _engine.Messages.ShouldContain(m => m.Message!.Contains("Vendoring the dependencies of foo.tar.gz with cargo"));
        _engine.Messages.ShouldContain(m => m.Message!.Contains("cargo vendor --manifest-path"));
        Directory.GetFiles(Path.GetDirectoryName(archive)!).ShouldBe([archive], "no temporary file is left beside the archive");
    }

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public void With_an_output_archive_the_input_is_left_untouched()
    {
        string archive = PackPackage();
        byte[] original = File.ReadAllBytes(archive);
        string output = _scenario.Root.Combine("out", "foo-vendored.tar.gz");
        var task = NewTask(archive);
        task.OutputArchive = output;

        task.Execute().ShouldBeTrue(_engine.Transcript);

        task.VendoredArchive.ShouldBe(output);
        File.ReadAllBytes(archive).ShouldBe(original);
        SourceArchives.ReadEntries(output).ShouldContain(e => e.Name == "foo-1.0/.cargo/config.toml");
    }

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public void An_already_vendored_archive_is_reported_and_not_rewritten()
    {
        string archive = PackPackage();
        NewTask(archive).Execute().ShouldBeTrue(_engine.Transcript);
        byte[] vendored = File.ReadAllBytes(archive);
        DateTime written = File.GetLastWriteTimeUtc(archive);
        var again = NewTask(archive);

        again.Execute().ShouldBeTrue(_engine.Transcript);

        again.AlreadyVendored.ShouldBeTrue();
        File.ReadAllBytes(archive).ShouldBe(vendored);
        File.GetLastWriteTimeUtc(archive).ShouldBe(written);
    }

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public void A_missing_manifest_is_error_BRDL0503_and_the_archive_is_left_as_it_was()
    {
        string archive = PackPackage();
        byte[] original = File.ReadAllBytes(archive);
        var task = NewTask(archive);
        task.CargoManifest = "crates/app/Cargo.toml";

        task.Execute().ShouldBeFalse();

        _engine.ErrorCodes.ShouldBe([MessageCodes.CargoManifestMissing]);
        File.ReadAllBytes(archive).ShouldBe(original);
    }

    [RequiresToolsFact("tar", "gzip")]
    public void A_cargo_that_cannot_be_run_is_error_BRDL0602_naming_BuildrootCargoPath()
    {
        string archive = SourceArchives.Pack(
            Path.GetDirectoryName(_scenario.Root.WriteFile("src/foo-1.0/Cargo.toml", "[package]\nname = \"foo\"\n"))!,
            _scenario.Root.Combine("archives", "foo.tar.gz"));
        var task = NewTask(archive);
        task.CargoPath = _scenario.Root.Combine("no-such-cargo");

        task.Execute().ShouldBeFalse();

        _engine.ErrorCodes.ShouldBe([MessageCodes.ToolNotFound]);
        _engine.Errors.Single().Message!.ShouldContain("BuildrootCargoPath");
    }

    [Fact]
    public void A_missing_archive_is_error_BRDL0506()
    {
        var task = NewTask(_scenario.Root.Combine("archives", "absent.tar.gz"));

        task.Execute().ShouldBeFalse();

        _engine.ErrorCodes.ShouldBe([MessageCodes.ArchiveToVendorMissing]);
    }

    private CargoVendor NewTask(string archive) => new()
    {
        BuildEngine = _engine,
        Archive = archive,
        DownloadDirectory = _scenario.DownloadDirectory,
    };

    private string PackPackage()
    {
        string sources = _registry.WritePackage(_scenario.Root.Combine("src"), "foo-1.0", "foo", ["brdl-greeting"]);
        return _scenario.Pack(sources, "foo.tar.gz");
    }
}
