using System.Diagnostics;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Tests.Infrastructure;
using Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Vendoring;

[Collection(GoVendoringCollection.Name)]
public sealed class GoPostProcessTests : IDisposable
{
    private const string Greeting = "example.com/brdl/greeting";
    private const string Shout = "example.com/brdl/shout";

    private readonly GoFileProxy _proxy;
    private readonly VendoringScenario _scenario = new("go");

    public GoPostProcessTests(GoProxyFixture fixture)
    {
        _proxy = fixture.Proxy;
    }

    public void Dispose() => _scenario.Dispose();

    [RequiresToolsFact("go", "tar", "gzip")]
    public async Task Vendored_archive_holds_the_modules_and_builds_offline()
    {
        string archive = PackModule("foo-1.0", [Greeting, Shout]);

        await _scenario.RunAsync(archive, VendoringScenario.Package("go"), goProxy: _proxy.Url);

        var entries = SourceArchives.ReadEntries(archive).ToDictionary(e => e.Name);
        entries.Keys.ShouldContain("foo-1.0/vendor/example.com/brdl/greeting/greeting.go");
        entries.Keys.ShouldContain("foo-1.0/vendor/example.com/brdl/shout/shout.go");
        string modules = System.Text.Encoding.UTF8.GetString(entries["foo-1.0/vendor/modules.txt"].Content);
        modules.ShouldContain($"# {Greeting} v0.1.0");
        modules.ShouldContain($"# {Shout} v0.2.0");
        BuildOfflineAndRun(archive).ShouldBe($"{GoFileProxy.Description(Greeting)} {GoFileProxy.Description(Shout)}");
    }

    [RequiresToolsFact("go", "tar", "gzip")]
    public async Task Modules_are_cached_in_the_download_folder_and_nothing_is_left_in_the_scratch_gopath_outside_the_scratch()
    {
        string archive = PackModule("foo-1.0", [Greeting]);

        await _scenario.RunAsync(archive, VendoringScenario.Package("go"), goProxy: _proxy.Url);

        Directory.Exists(Path.Combine(_scenario.GoModuleCache, "cache", "download", "example.com", "brdl", "greeting", "@v")).ShouldBeTrue();
        Directory.GetFileSystemEntries(_scenario.Root.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe(["archives", "dl", "scratch-1", "src"]);
        Directory.GetFileSystemEntries(_scenario.DownloadDirectory).Select(Path.GetFileName).ShouldBe(["go-mod-cache"]);
    }

    [RequiresToolsFact("go", "tar", "gzip")]
    public async Task A_module_in_a_subfolder_gets_its_vendor_folder_beside_its_go_mod()
    {
        string sources = _proxy.WriteModule(_scenario.Root.Combine("src"), "foo-1.0", [Shout], moduleFolder: "cmd/foo");
        string archive = _scenario.Pack(sources, "foo.tar.gz");

        await _scenario.RunAsync(archive, VendoringScenario.Package("go", goSubdir: "cmd/foo"), goProxy: _proxy.Url);

        SourceArchives.ReadEntries(archive).Select(e => e.Name).ShouldContain("foo-1.0/cmd/foo/vendor/modules.txt");
        BuildOfflineAndRun(archive, "cmd/foo").ShouldBe(GoFileProxy.Description(Shout));
    }

    [RequiresToolsFact("go", "tar", "gzip")]
    public async Task The_same_package_vendored_in_two_download_folders_gives_the_same_bytes()
    {
        string first = PackModule("foo-1.0", [Greeting, Shout]);
        string second = _scenario.Root.Combine("archives", "copy.tar.gz");
        File.Copy(first, second);

        await _scenario.RunAsync(first, VendoringScenario.Package("go"), goProxy: _proxy.Url);
        await _scenario.RunAsync(second, VendoringScenario.Package("go"), goProxy: _proxy.Url, downloadDirectory: _scenario.Root.Combine("other-dl"));

        File.ReadAllBytes(second).ShouldBe(File.ReadAllBytes(first));
    }

    [RequiresToolsFact("go", "tar", "gzip")]
    public async Task An_archive_already_holding_vendor_is_left_byte_for_byte_unchanged()
    {
        string archive = PackModule("foo-1.0", [Greeting]);
        await _scenario.RunAsync(archive, VendoringScenario.Package("go"), goProxy: _proxy.Url);
        byte[] vendored = File.ReadAllBytes(archive);

        // No proxy at all this time: go would fail if it ran.
        await _scenario.RunAsync(archive, VendoringScenario.Package("go"), goProxy: "off");

        File.ReadAllBytes(archive).ShouldBe(vendored);
    }

    [Theory]
    [InlineData("foo-1.0/vendor/modules.txt")]
    [InlineData("foo-1.0/cmd/foo/vendor/modules.txt")]
    public async Task An_archive_holding_vendor_at_its_top_or_beside_the_go_mod_of_its_go_subdir_is_left_unchanged(string vendoredFile)
    {
        string archive = SourceArchives.Write(
            _scenario.Root.Combine("archives", "foo.tar.gz"),
            SourceArchives.FileEntry("foo-1.0/cmd/foo/go.mod", $"module example.com/foo\n\nrequire {Greeting} v0.1.0\n"),
            SourceArchives.FileEntry(vendoredFile, $"# {Greeting} v0.1.0\n"));
        byte[] original = File.ReadAllBytes(archive);

        // No proxy at all: go would fail if it ran.
        await _scenario.RunAsync(archive, VendoringScenario.Package("go", goSubdir: "cmd/foo"), goProxy: "off");

        File.ReadAllBytes(archive).ShouldBe(original);
        _scenario.Log.Details.ShouldContain(m => m.Contains("already holds its vendored dependencies"), _scenario.Log.Transcript);
    }

    [RequiresToolsFact("go", "tar", "gzip")]
    public async Task A_package_without_go_mod_fails_with_BRDL0502()
    {
        string sources = _proxy.WriteModule(_scenario.Root.Combine("src"), "foo-1.0", [Greeting]);
        File.Delete(Path.Combine(sources, "go.mod"));
        string archive = _scenario.Pack(sources, "foo.tar.gz");

        var error = await Should.ThrowAsync<BrdlException>(() =>
            _scenario.RunAsync(archive, VendoringScenario.Package("go"), goProxy: _proxy.Url));

        error.Code.ShouldBe(MessageCodes.GoModMissing);
    }

    [RequiresToolsFact("go", "tar", "gzip")]
    public async Task A_module_the_proxy_cannot_serve_fails_with_BRDL0501_and_what_go_said()
    {
        string archive = PackModule("foo-1.0", [Greeting]);

        var error = await Should.ThrowAsync<BrdlException>(() =>
            _scenario.RunAsync(archive, VendoringScenario.Package("go"), goProxy: "off"));

        error.Code.ShouldBe(MessageCodes.VendoringFailed);
        error.Message.ShouldContain(Greeting);
    }

    [RequiresToolsFact("go", "tar", "gzip", "flock")]
    public async Task Vendoring_waits_while_buildroot_holds_the_module_cache_lock_and_says_so()
    {
        string archive = PackModule("foo-1.0", [Greeting]);
        Directory.CreateDirectory(_scenario.GoModuleCache);
        string lockFile = Path.Combine(_scenario.GoModuleCache, ".br-lock");
        using var holder = CrossProcessLockTests.StartFlockHolder(lockFile, seconds: 1.5);
        var clock = Stopwatch.StartNew();

        await _scenario.RunAsync(archive, VendoringScenario.Package("go"), goProxy: _proxy.Url);

        clock.Elapsed.ShouldBeGreaterThan(TimeSpan.FromSeconds(1));
        _scenario.Log.Messages.ShouldContain(m => m.Contains("Waiting for the lock") && m.Contains(lockFile), _scenario.Log.Transcript);
        SourceArchives.ReadEntries(archive).ShouldContain(e => e.Name == "foo-1.0/vendor/modules.txt");
    }

    [RequiresToolsFact("go", "tar", "gzip")]
    public async Task The_configured_proxy_wins_over_the_environments_GOPROXY()
    {
        string archive = PackModule("foo-1.0", [Greeting]);
        string output = _scenario.Root.Combine("out.tar.gz");

        // A process of its own, so that its GOPROXY can differ from this one's: with "off", go would fail.
        ProbeResult result = (await VendorProbe.WaitAllAsync(
            [VendorProbe.Start("go", archive, _scenario.DownloadDirectory, output, goProxy: _proxy.Url, environment: new Dictionary<string, string?> { ["GOPROXY"] = "off" })])).Single();

        result.ExitCode.ShouldBe(0, result.Output);
        result.Output.ShouldContain($"GOPROXY={_proxy.Url}");
        SourceArchives.ReadEntries(output).ShouldContain(e => e.Name == "foo-1.0/vendor/modules.txt");
    }

    private string PackModule(string topFolder, string[] dependencies)
    {
        string sources = _proxy.WriteModule(_scenario.Root.Combine("src", Guid.NewGuid().ToString("N")[..8]), topFolder, dependencies);
        return _scenario.Pack(sources, $"{topFolder}-{Guid.NewGuid():N}.tar.gz");
    }

    /// <summary>Unpacks with GNU tar and builds from vendor/ with no proxy and an empty module cache; returns what the program prints.</summary>
    private string BuildOfflineAndRun(string archive, string? moduleFolder = null)
    {
        string copy = SourceArchives.Unpack(archive, _scenario.Root.Combine("build", Guid.NewGuid().ToString("N")));
        var environment = new Dictionary<string, string?>(_proxy.Environment(_scenario.Root.Combine("offline-go")))
        {
            ["GOPROXY"] = "off",
            ["GOFLAGS"] = "-mod=vendor",
        };
        string folder = moduleFolder is null ? copy : Path.Combine(copy, moduleFolder);
        ReferenceTool.Run("go", ["build", "-o", "program", "."], folder, environment);
        return ReferenceTool.Run(Path.Combine(folder, "program"), [], folder).Trim();
    }
}
