using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Buildroot.Download.Tasks.TestUtilities;
using Buildroot.Download.Tasks.Vendoring;

namespace Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;

/// <summary>
/// One test's folders: a download dir, package archives, and a fresh scratch folder per
/// post-process run, all under one temporary root, so a test can check nothing was written elsewhere.
/// </summary>
internal sealed class VendoringScenario : IDisposable
{
    private int _runs;

    public VendoringScenario(string hint)
    {
        Root = new TemporaryFolder(hint);
        DownloadDirectory = Root.Combine("dl");
        Directory.CreateDirectory(DownloadDirectory);
        Directory.CreateDirectory(Root.Combine("archives"));
    }

    public TemporaryFolder Root { get; }

    public string DownloadDirectory { get; }

    public RecordingLog Log { get; } = new();

    public string CargoHome => Path.Combine(DownloadDirectory, "br-cargo-home");

    public string GoModuleCache => Path.Combine(DownloadDirectory, "go-mod-cache");

    public static PackageSpec Package(string postProcess, string? cargoManifest = null, string? goSubdir = null) => new()
    {
        Name = "foo",
        Version = "1.0",
        SanitizedVersion = "1.0",
        SiteMethod = "git",
        Source = $"foo-1.0-git4{PostProcessNames.FormatSuffix(postProcess)}.tar.gz",
        DlSubdir = "foo",
        DownloadPostProcess = postProcess,
        CargoManifest = cargoManifest,
        GoSubdir = goSubdir,
    };

    /// <summary>Packs <paramref name="sourcesTopFolder"/> into <c>archives/&lt;name&gt;</c>.</summary>
    public string Pack(string sourcesTopFolder, string name) =>
        SourceArchives.Pack(sourcesTopFolder, Root.Combine("archives", name));

    /// <summary>Runs a post-process on <paramref name="archive"/> as the download wrapper does, in a fresh scratch folder.</summary>
    public Task RunAsync(string archive, PackageSpec package, string? goProxy = null, string? downloadDirectory = null, CancellationToken cancellationToken = default)
    {
        string scratch = Root.Combine($"scratch-{Interlocked.Increment(ref _runs)}");
        Directory.CreateDirectory(scratch);
        return PostProcessCatalog.Get(package.DownloadPostProcess!).RunAsync(
            new PostProcessRequest
            {
                ArchivePath = archive,
                ScratchFolder = scratch,
                DownloadDirectory = downloadDirectory ?? DownloadDirectory,
                Settings = new VendoringSettings(package.CargoManifest, package.GoSubdir),
                GoProxy = goProxy,
                Tools = new ToolPaths(),
                Runner = new ProcessRunner(Log),
                Log = Log,
            },
            cancellationToken);
    }

    public void Dispose() => Root.Dispose();
}
