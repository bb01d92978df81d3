using System.Diagnostics;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Tests.Infrastructure;
using Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Vendoring;

[Collection(CargoVendoringCollection.Name)]
public sealed class CargoPostProcessTests : IDisposable
{
    private static readonly DateTime FirstFileDate = new(2021, 5, 6, 7, 8, 9, 700, DateTimeKind.Utc);
    private static readonly DateTime LaterDate = new(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly LocalCrateRegistry _registry;
    private readonly VendoringScenario _scenario = new("cargo");

    public CargoPostProcessTests(CrateRegistryFixture fixture)
    {
        _registry = fixture.Registry;
        _registry.ConfigureCargoHome(_scenario.CargoHome);
    }

    public void Dispose() => _scenario.Dispose();

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public async Task Vendored_archive_holds_the_crates_and_the_source_replacement_and_builds_offline()
    {
        string archive = PackPackage("foo-1.0", ["brdl-greeting", "brdl-shout"]);

        await _scenario.RunAsync(archive, VendoringScenario.Package("cargo"));

        var entries = SourceArchives.ReadEntries(archive).ToDictionary(e => e.Name);
        entries.Keys.ShouldContain("foo-1.0/VENDOR/brdl-greeting/src/lib.rs");
        entries.Keys.ShouldContain("foo-1.0/VENDOR/brdl-shout/Cargo.toml");
        string config = System.Text.Encoding.UTF8.GetString(entries["foo-1.0/.cargo/config.toml"].Content);
        config.ShouldContain("replace-with = \"vendored-sources\"");
        config.ShouldContain("directory = \"VENDOR\"");
        BuildOfflineAndRun(archive).ShouldBe($"{LocalCrateRegistry.Description("brdl-greeting")}, {LocalCrateRegistry.Description("brdl-shout")}");
    }

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public async Task Repacked_archive_keeps_its_top_folder_and_takes_the_date_of_its_first_file()
    {
        // "Cargo.lock" comes first in bytewise order (upper case sorts before lower case).
        string archive = PackPackage("foo-1.0", ["brdl-greeting"]);

        await _scenario.RunAsync(archive, VendoringScenario.Package("cargo"));

        var entries = SourceArchives.ReadEntries(archive);
        entries.ShouldAllBe(e => e.Name.StartsWith("foo-1.0/", StringComparison.Ordinal));
        entries.Select(e => e.ModificationTime).Distinct()
            .ShouldHaveSingleItem().ShouldBe(new DateTimeOffset(2021, 5, 6, 7, 8, 9, TimeSpan.Zero));
    }

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public async Task A_config_toml_in_the_cargo_home_is_kept_and_honoured()
    {
        string config = Path.Combine(_scenario.CargoHome, "config.toml");
        string before = File.ReadAllText(config);
        string archive = PackPackage("foo-1.0", ["brdl-count"]);

        await _scenario.RunAsync(archive, VendoringScenario.Package("cargo"));

        // The crate exists only in the registry that config.toml names: vendoring it proves the config was used.
        SourceArchives.ReadEntries(archive).ShouldContain(e => e.Name == "foo-1.0/VENDOR/brdl-count/src/lib.rs");
        File.ReadAllText(config).ShouldBe(before);
    }

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public async Task The_same_package_vendored_in_two_download_folders_gives_the_same_bytes()
    {
        string first = PackPackage("foo-1.0", ["brdl-greeting", "brdl-count"]);
        string second = _scenario.Root.Combine("archives", "copy.tar.gz");
        File.Copy(first, second);
        string otherDownloadDirectory = _scenario.Root.Combine("other-dl");
        _registry.ConfigureCargoHome(Path.Combine(otherDownloadDirectory, "br-cargo-home"));

        await _scenario.RunAsync(first, VendoringScenario.Package("cargo"));
        await _scenario.RunAsync(second, VendoringScenario.Package("cargo"), downloadDirectory: otherDownloadDirectory);

        File.ReadAllBytes(second).ShouldBe(File.ReadAllBytes(first));
        Directory.Exists(Path.Combine(otherDownloadDirectory, "br-cargo-home", "registry")).ShouldBeTrue("the second run used its own cargo home");
    }

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public async Task An_archive_already_holding_VENDOR_is_left_byte_for_byte_unchanged()
    {
        string archive = PackPackage("foo-1.0", ["brdl-greeting"]);
        await _scenario.RunAsync(archive, VendoringScenario.Package("cargo"));
        byte[] vendored = File.ReadAllBytes(archive);
        DateTime written = File.GetLastWriteTimeUtc(archive);
        Directory.Delete(_scenario.CargoHome, recursive: true);

        await _scenario.RunAsync(archive, VendoringScenario.Package("cargo"));

        File.ReadAllBytes(archive).ShouldBe(vendored);
        File.GetLastWriteTimeUtc(archive).ShouldBe(written);
        Directory.Exists(_scenario.CargoHome).ShouldBeFalse("cargo was not run again");
    }

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public async Task A_manifest_in_a_subfolder_is_vendored_at_the_top_and_builds_from_there()
    {
        string sources = _registry.WritePackage(_scenario.Root.Combine("src"), "foo-1.0", "foo", ["brdl-shout"], manifestFolder: "rust");
        SourceArchives.Touch(sources, LaterDate);
        string archive = _scenario.Pack(sources, "foo.tar.gz");

        await _scenario.RunAsync(archive, VendoringScenario.Package("cargo", cargoManifest: "rust/Cargo.toml"));

        var names = SourceArchives.ReadEntries(archive).Select(e => e.Name).ToList();
        names.ShouldContain("foo-1.0/VENDOR/brdl-shout/src/lib.rs");
        names.ShouldContain("foo-1.0/.cargo/config.toml");
        BuildOfflineAndRun(archive, "rust").ShouldBe(LocalCrateRegistry.Description("brdl-shout"));
    }

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public async Task A_package_without_its_manifest_fails_with_BRDL0503()
    {
        string sources = _registry.WritePackage(_scenario.Root.Combine("src"), "foo-1.0", "foo", ["brdl-shout"]);
        string archive = _scenario.Pack(sources, "foo.tar.gz");

        var error = await Should.ThrowAsync<BrdlException>(() =>
            _scenario.RunAsync(archive, VendoringScenario.Package("cargo", cargoManifest: "native/Cargo.toml")));

        error.Code.ShouldBe(MessageCodes.CargoManifestMissing);
        error.Message.ShouldContain("native/Cargo.toml");
    }

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public async Task A_package_whose_Cargo_lock_is_out_of_date_fails_with_BRDL0501_and_what_cargo_said()
    {
        string sources = _registry.WritePackage(_scenario.Root.Combine("src"), "foo-1.0", "foo", ["brdl-shout"]);
        File.AppendAllText(Path.Combine(sources, "Cargo.toml"), "brdl-count = \"1.0.0\"\n");
        string archive = _scenario.Pack(sources, "foo.tar.gz");

        var error = await Should.ThrowAsync<BrdlException>(() => _scenario.RunAsync(archive, VendoringScenario.Package("cargo")));

        error.Code.ShouldBe(MessageCodes.VendoringFailed);
        error.Message.ShouldContain("--locked");
    }

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public async Task A_manifest_setting_that_leaves_the_sources_is_refused_with_BRDL0504()
    {
        string archive = PackPackage("foo-1.0", ["brdl-shout"]);

        var error = await Should.ThrowAsync<BrdlException>(() =>
            _scenario.RunAsync(archive, VendoringScenario.Package("cargo", cargoManifest: "../../elsewhere/Cargo.toml")));

        error.Code.ShouldBe(MessageCodes.VendoringPathOutsideSources);
    }

    [RequiresToolsFact("cargo", "tar", "gzip", "flock")]
    public async Task Vendoring_waits_while_buildroot_holds_the_cargo_home_lock_and_says_so()
    {
        string archive = PackPackage("foo-1.0", ["brdl-greeting"]);
        string lockFile = Path.Combine(_scenario.CargoHome, ".br-lock");
        using var holder = CrossProcessLockTests.StartFlockHolder(lockFile, seconds: 1.5);
        var clock = Stopwatch.StartNew();

        await _scenario.RunAsync(archive, VendoringScenario.Package("cargo"));

        clock.Elapsed.ShouldBeGreaterThan(TimeSpan.FromSeconds(1));
        _scenario.Log.Messages.ShouldContain(m => m.Contains("Waiting for the lock") && m.Contains(lockFile), _scenario.Log.Transcript);
        SourceArchives.ReadEntries(archive).ShouldContain(e => e.Name == "foo-1.0/VENDOR/brdl-greeting/src/lib.rs");
    }

    /// <summary>A package using <paramref name="dependencies"/>, every file dated later than its Cargo.lock.</summary>
    private string PackPackage(string topFolder, string[] dependencies)
    {
        string sources = _registry.WritePackage(_scenario.Root.Combine("src", Guid.NewGuid().ToString("N")[..8]), topFolder, "foo", dependencies);
        SourceArchives.Touch(sources, LaterDate);
        File.SetLastWriteTimeUtc(Path.Combine(sources, "Cargo.lock"), FirstFileDate);
        return _scenario.Pack(sources, $"{topFolder}-{Guid.NewGuid():N}.tar.gz");
    }

    /// <summary>Unpacks with GNU tar and builds with an empty cargo home, offline; returns what the program prints.</summary>
    private string BuildOfflineAndRun(string archive, string? manifestFolder = null)
    {
        string copy = SourceArchives.Unpack(archive, _scenario.Root.Combine("build", Guid.NewGuid().ToString("N")));
        var environment = new Dictionary<string, string?>
        {
            ["CARGO_HOME"] = _scenario.Root.Combine("empty-cargo-home"),
            ["CARGO_TARGET_DIR"] = _scenario.Root.Combine("target"),
        };
        return ReferenceTool.Run("cargo", ["run", "--offline", "--frozen", "--quiet"], manifestFolder is null ? copy : Path.Combine(copy, manifestFolder), environment).Trim();
    }
}
