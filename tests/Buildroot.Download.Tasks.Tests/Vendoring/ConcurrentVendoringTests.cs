using System.Diagnostics;
using System.Security.Cryptography;
using Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Vendoring;

/// <summary>
/// The first seed's scenario: several builds on one machine, each in its own process, vendor
/// different packages at once through one shared cargo home. cargo's own locking let such runs
/// fail at random while unpacking crates; with the lock on <c>br-cargo-home/.br-lock</c> they
/// take turns, all succeed, and give the same bytes every time.
/// </summary>
[Collection(CargoVendoringCollection.Name)]
public sealed class ConcurrentCargoVendoringTests : IDisposable
{
    private static readonly string[][] PackageDependencies =
    [
        ["brdl-greeting"],
        ["brdl-shout", "brdl-count"],
        ["brdl-greeting", "brdl-shout"],
        ["brdl-count", "brdl-greeting", "brdl-shout"],
    ];

    private readonly LocalCrateRegistry _registry;
    private readonly VendoringScenario _scenario = new("cargo-many");

    public ConcurrentCargoVendoringTests(CrateRegistryFixture fixture)
    {
        _registry = fixture.Registry;
    }

    public void Dispose() => _scenario.Dispose();

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public async Task Many_processes_vendoring_different_packages_into_one_cargo_home_all_succeed_with_the_same_bytes_every_round()
    {
        string[] archives = PackageDependencies
            .Select((dependencies, i) => _scenario.Pack(
                _registry.WritePackage(_scenario.Root.Combine("src"), $"pkg{i}-1.0", $"pkg{i}", dependencies),
                $"pkg{i}-1.0.tar.gz"))
            .ToArray();
        string journal = _scenario.Root.Combine("cargo-runs.log");
        string cargo = VendorProbe.JournalingWrapper(_scenario.Root.Path, "cargo", journal);
        byte[][]? firstRound = null;
        const int Rounds = 3;

        for (int round = 1; round <= Rounds; round++)
        {
            // Every round starts from a cold cache, so that every round unpacks crates concurrently.
            ResetCargoHome();
            string[] outputs = archives.Select(a => _scenario.Root.Combine($"round{round}", Path.GetFileName(a))).ToArray();

            ProbeResult[] results = await VendorProbe.WaitAllAsync(
                archives.Select((archive, i) => VendorProbe.Start("cargo", archive, _scenario.DownloadDirectory, outputs[i], cargo)).ToArray());

            results.ShouldAllBe(r => r.ExitCode == 0, string.Join("\n----\n", results.Select(r => r.Output)));
            byte[][] hashes = outputs.Select(o => SHA256.HashData(File.ReadAllBytes(o))).ToArray();
            firstRound ??= hashes;
            hashes.ShouldBe(firstRound, $"round {round} gave other bytes than round 1");
        }

        VendorProbe.CountExclusiveRuns(journal).ShouldBe(Rounds * archives.Length);
        SourceArchives.ReadEntries(_scenario.Root.Combine("round1", "pkg3-1.0.tar.gz")).Select(e => e.Name)
            .ShouldContain("pkg3-1.0/VENDOR/brdl-count/src/lib.rs");
    }

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public async Task Vendoring_writes_nothing_into_the_users_home()
    {
        string archive = _scenario.Pack(_registry.WritePackage(_scenario.Root.Combine("src"), "foo-1.0", "foo", ["brdl-greeting"]), "foo.tar.gz");
        ResetCargoHome();
        string home = _scenario.Root.Combine("home");
        Directory.CreateDirectory(home);

        ProbeResult[] results = await VendorProbe.WaitAllAsync(
            [VendorProbe.Start("cargo", archive, _scenario.DownloadDirectory, _scenario.Root.Combine("out.tar.gz"), environment: VendorProbe.HomeElsewhere(home))]);

        results.Single().ExitCode.ShouldBe(0, results.Single().Output);
        Directory.GetFileSystemEntries(home, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    private void ResetCargoHome()
    {
        if (Directory.Exists(_scenario.CargoHome))
        {
            Directory.Delete(_scenario.CargoHome, recursive: true);
        }

        _registry.ConfigureCargoHome(_scenario.CargoHome);
    }
}

/// <summary>The same for Go: builds in separate processes take turns on <c>go-mod-cache/.br-lock</c>.</summary>
[Collection(GoVendoringCollection.Name)]
public sealed class ConcurrentGoVendoringTests : IDisposable
{
    private static readonly string[][] ModuleDependencies =
    [
        ["example.com/brdl/greeting"],
        ["example.com/brdl/shout"],
        ["example.com/brdl/greeting", "example.com/brdl/shout"],
    ];

    private readonly GoFileProxy _proxy;
    private readonly VendoringScenario _scenario = new("go-many");

    public ConcurrentGoVendoringTests(GoProxyFixture fixture)
    {
        _proxy = fixture.Proxy;
    }

    public void Dispose() => _scenario.Dispose();

    [RequiresToolsFact("go", "tar", "gzip")]
    public async Task Many_processes_vendoring_different_modules_through_one_module_cache_take_turns_and_agree_on_the_bytes()
    {
        string[] archives = ModuleDependencies
            .Select((dependencies, i) => _scenario.Pack(_proxy.WriteModule(_scenario.Root.Combine("src"), $"mod{i}-1.0", dependencies), $"mod{i}-1.0.tar.gz"))
            .ToArray();
        string journal = _scenario.Root.Combine("go-runs.log");
        string go = VendorProbe.JournalingWrapper(_scenario.Root.Path, "go", journal);
        byte[][]? firstRound = null;
        const int Rounds = 2;

        for (int round = 1; round <= Rounds; round++)
        {
            string[] outputs = archives.Select(a => _scenario.Root.Combine($"round{round}", Path.GetFileName(a))).ToArray();

            ProbeResult[] results = await VendorProbe.WaitAllAsync(
                archives.Select((archive, i) => VendorProbe.Start("go", archive, _scenario.DownloadDirectory, outputs[i], go, _proxy.Url)).ToArray());

            results.ShouldAllBe(r => r.ExitCode == 0, string.Join("\n----\n", results.Select(r => r.Output)));
            byte[][] hashes = outputs.Select(o => SHA256.HashData(File.ReadAllBytes(o))).ToArray();
            firstRound ??= hashes;
            hashes.ShouldBe(firstRound, $"round {round} gave other bytes than round 1");
        }

        VendorProbe.CountExclusiveRuns(journal).ShouldBe(Rounds * archives.Length);
    }

    [RequiresToolsFact("go", "tar", "gzip")]
    public async Task Vendoring_writes_nothing_into_the_users_home_and_takes_GOPROXY_from_the_environment()
    {
        string archive = _scenario.Pack(_proxy.WriteModule(_scenario.Root.Combine("src"), "foo-1.0", ["example.com/brdl/shout"]), "foo.tar.gz");
        string home = _scenario.Root.Combine("home");
        Directory.CreateDirectory(home);
        var environment = VendorProbe.HomeElsewhere(home);
        environment["GOPROXY"] = _proxy.Url;

        ProbeResult[] results = await VendorProbe.WaitAllAsync(
            [VendorProbe.Start("go", archive, _scenario.DownloadDirectory, _scenario.Root.Combine("out.tar.gz"), environment: environment)]);

        results.Single().ExitCode.ShouldBe(0, results.Single().Output);
        results.Single().Output.ShouldContain($"GOPROXY={_proxy.Url}");
        Directory.GetFileSystemEntries(home, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }
}
