using System.Diagnostics;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;
using Buildroot.Download.Tasks.TestUtilities;
using Buildroot.Download.Tasks.Vendoring;

namespace Buildroot.Download.Tasks.Tests.Vendoring;

/// <summary>
/// cargo and go vendoring against a registry (a module proxy) that accepts and never answers:
/// stopped at the stall limit. go has no time limit of its own at all, so before it waited for ever.
/// </summary>
internal static class StalledRegistry
{
    public static readonly TransferLimits ShortLimits = new(TimeSpan.FromSeconds(2), TimeSpan.FromHours(1));

    public static async Task ShouldStallAsync(VendoringScenario scenario, string archive, string postProcess, string? goProxy = null)
    {
        string scratch = scenario.Root.Combine("scratch-stalled");
        Directory.CreateDirectory(scratch);
        var request = new PostProcessRequest
        {
            ArchivePath = archive,
            ScratchFolder = scratch,
            DownloadDirectory = scenario.DownloadDirectory,
            Settings = new VendoringSettings(null, null),
            GoProxy = goProxy,
            Tools = new ToolPaths(),
            Limits = ShortLimits,
            Runner = new ProcessRunner(scenario.Log),
            Log = scenario.Log,
        };
        var clock = Stopwatch.StartNew();

        var error = await Should.ThrowAsync<BrdlException>(() => PostProcessCatalog.Get(postProcess).RunAsync(request, CancellationToken.None));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), error.Message);
        error.Code.ShouldBe(MessageCodes.ToolStalled, error.Message);
        error.Scope.ShouldBe(FailureScope.Attempt);
    }
}

[Collection(GoVendoringCollection.Name)]
public sealed class GoStalledProxyTests(GoProxyFixture fixture) : IDisposable
{
    private readonly VendoringScenario _scenario = new("go-stalled");

    public void Dispose() => _scenario.Dispose();

    [RequiresToolsFact("go", "tar", "gzip")]
    public async Task A_module_proxy_that_never_answers_is_given_up_at_the_stall_limit()
    {
        using var proxy = new SilentTcpServer();
        string sources = fixture.Proxy.WriteModule(_scenario.Root.Combine("src"), "foo-1.0", ["example.com/brdl/greeting"]);
        string archive = _scenario.Pack(sources, "foo-1.0.tar.gz");

        await StalledRegistry.ShouldStallAsync(_scenario, archive, "go", goProxy: proxy.Uri("http"));

        proxy.AcceptedConnections.ShouldBeGreaterThanOrEqualTo(1);
    }
}

[Collection(CargoVendoringCollection.Name)]
public sealed class CargoStalledRegistryTests(CrateRegistryFixture fixture) : IDisposable
{
    private readonly VendoringScenario _scenario = new("cargo-stalled");

    public void Dispose() => _scenario.Dispose();

    [RequiresToolsFact("cargo", "tar", "gzip")]
    public async Task A_registry_that_never_answers_is_given_up_at_the_stall_limit()
    {
        using var registry = new SilentTcpServer();
        string sources = fixture.Registry.WritePackage(_scenario.Root.Combine("src"), "foo-1.0", "foo", ["brdl-greeting"]);
        string archive = _scenario.Pack(sources, "foo-1.0.tar.gz");
        Directory.CreateDirectory(_scenario.CargoHome);
        File.WriteAllText(Path.Combine(_scenario.CargoHome, "config.toml"), $"""
            [source.crates-io]
            replace-with = "stalled-mirror"

            [source.stalled-mirror]
            registry = "sparse+{registry.Uri("http")}/index/"

            """);

        await StalledRegistry.ShouldStallAsync(_scenario, archive, "cargo");

        registry.AcceptedConnections.ShouldBeGreaterThanOrEqualTo(1);
    }
}
