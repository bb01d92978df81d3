using System.Collections.Immutable;
using System.Text;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Buildroot.Download.Tasks.TestUtilities;
using Buildroot.Download.Tasks.Vendoring;

namespace Buildroot.Download.Tasks.Tests.Download;

/// <summary>
/// What a killed build leaves (a temporary copy in the download folder, a scratch folder in
/// <c>obj/</c>) is reclaimed by the next build, and only what is dead: a live build's files are
/// never touched.
/// </summary>
public sealed class LeftoverTests : IDisposable
{
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("zlib sources, version 1.3.1\n");

    private readonly TemporaryFolder _folder = new("leftovers");
    private readonly LoopbackHttpServer _server = new();
    private readonly RecordingLog _log = new();

    public LeftoverTests()
    {
        _server.Serve("/zlib-1.3.1.tar.gz", Content);
    }

    private string PackageFolder => _folder.Combine("dl", "zlib");

    private string ScratchRoot => _folder.Combine("obj", "buildroot-scratch");

    public void Dispose()
    {
        _server.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Temporary_copies_a_killed_build_left_in_the_package_folder_are_removed_at_its_next_download()
    {
        // What InstallAsync and the stamp writer leave when the build is killed mid-copy.
        string copy = _folder.WriteFile("dl/zlib/.zlib-1.3.1.tar.gz.brdl-0123456789abcdef0123456789abcdef.tmp", new string('x', 5000));
        string stamp = _folder.WriteFile("dl/zlib/.brdl-verified/.zlib-1.3.1.tar.gz.brdl-fedcba9876543210fedcba9876543210.tmp", "brdl-verified 1\n");
        string readme = _folder.WriteFile("dl/zlib/.git.readme.brdl-00000000000000000000000000000000.tmp", "IMPORTANT NOTE!");
        string someoneElses = _folder.WriteFile("dl/zlib/.zlib-1.3.1.tar.gz.XXXXXX", "a Buildroot build's own temporary file");

        await DownloadAsync(Zlib());

        File.ReadAllBytes(Path.Combine(PackageFolder, "zlib-1.3.1.tar.gz")).ShouldBe(Content);
        File.Exists(copy).ShouldBeFalse();
        File.Exists(stamp).ShouldBeFalse();
        File.Exists(readme).ShouldBeFalse();
        File.Exists(someoneElses).ShouldBeTrue("only our own temporary names are ours to remove");
        _log.Details.ShouldContain(line => line.Contains("removed 5", StringComparison.Ordinal) && line.Contains(PackageFolder, StringComparison.Ordinal), _log.Transcript);
    }

    [Fact]
    public async Task Temporary_copies_are_reclaimed_even_when_the_file_is_already_there()
    {
        _folder.WriteFile("dl/zlib/zlib-1.3.1.tar.gz", Encoding.UTF8.GetString(Content));
        string copy = _folder.WriteFile("dl/zlib/.zlib-1.3.1.tar.gz.brdl-0123456789abcdef0123456789abcdef.tmp", "half a copy");

        await DownloadAsync(Zlib());

        File.Exists(copy).ShouldBeFalse();
        _server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Scratch_folders_of_dead_builds_are_reclaimed_and_a_live_builds_are_left_alone()
    {
        // A build killed while it ran: its lock file is there, but nobody holds it.
        string dead = _folder.WriteFile("obj/buildroot-scratch/brdl-11111111111111111111111111111111/zlib-1/zlib-1.3.1.tar.gz", "partial");
        _folder.WriteFile("obj/buildroot-scratch/brdl-11111111111111111111111111111111.lock", string.Empty);

        // A build killed while it reclaimed another's folder: the folder without its lock file.
        string orphan = _folder.WriteFile("obj/buildroot-scratch/brdl-22222222222222222222222222222222/zlib-1/partial", "partial");

        // A build running now: it holds its lock.
        string live = _folder.WriteFile("obj/buildroot-scratch/brdl-33333333333333333333333333333333/zlib-1/zlib-1.3.1.tar.gz", "in flight");
        string liveLock = _folder.WriteFile("obj/buildroot-scratch/brdl-33333333333333333333333333333333.lock", string.Empty);
        using var held = new FileStream(liveLock, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        await DownloadAsync(Zlib());

        File.ReadAllBytes(Path.Combine(PackageFolder, "zlib-1.3.1.tar.gz")).ShouldBe(Content);
        File.Exists(dead).ShouldBeFalse();
        File.Exists(orphan).ShouldBeFalse();
        File.Exists(live).ShouldBeTrue("a live build's scratch folder was removed");

        // The run's own folder and lock went with it: only the live build's remain.
        Directory.EnumerateFileSystemEntries(ScratchRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(
            ["brdl-33333333333333333333333333333333", "brdl-33333333333333333333333333333333.lock"]);
    }

    [Fact]
    public async Task While_a_build_downloads_its_scratch_folder_is_locked_so_another_build_leaves_it_alone()
    {
        _server.Misbehave("/zlib-1.3.1.tar.gz", LoopbackHttpServer.Fault.Trickle);
        _server.Serve("/zlib-1.3.1.tar.gz", new byte[128 * 1024]);
        Task<ImmutableArray<DownloadedFile>> first = DownloadAsync(Zlib());
        await _server.BodyStarted;

        // The server has sent the first bytes; the client opens its scratch file as they arrive.
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); InFlight().Length == 0 && waited.Elapsed < TimeSpan.FromSeconds(10);)
        {
            await Task.Delay(20);
        }

        // Another build opening the same scratch root while the first one is mid-download.
        using (ScratchSpace.Open(ScratchRoot, _log))
        {
        }

        InFlight().ShouldHaveSingleItem("the live build's partial download was reclaimed from under it");
        (await first).ShouldHaveSingleItem();
        _log.Errors.ShouldBeEmpty();
    }

    private string[] InFlight() => Directory.GetFiles(ScratchRoot, "zlib-1.3.1.tar.gz", SearchOption.AllDirectories);

    private PackageSpec Zlib() => new()
    {
        Name = "zlib",
        Version = "1.3.1",
        SanitizedVersion = "1.3.1",
        Site = _server.BaseUri,
        SiteMethod = "wget",
        Source = "zlib-1.3.1.tar.gz",
        DlSubdir = "zlib",
        HashFiles = [],
    };

    private Task<ImmutableArray<DownloadedFile>> DownloadAsync(PackageSpec package)
    {
        var settings = new DownloadSettings { DownloadDirectory = _folder.Combine("dl"), ScratchDirectory = ScratchRoot };
        var services = new DownloadServices(PostProcessCatalog.Get, new ProcessRunner(_log), _log, new TransientDownloads());
        return new DownloadRun(settings, services).DownloadAllAsync([package], CancellationToken.None);
    }
}
