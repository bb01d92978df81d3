using System.Security.Cryptography;
using System.Text;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Buildroot.Download.Tasks.TestUtilities;
using Buildroot.Download.Tasks.Tests.Infrastructure;
using Buildroot.Download.Tasks.Vendoring;

namespace Buildroot.Download.Tasks.Tests.Download;

/// <summary>
/// The dl-wrapper's flow, in-process, against a real HTTP server on loopback and a real
/// download folder: what ends up under the final name, what is requested, what is said.
/// </summary>
public sealed class DownloadWrapperTests : IDisposable
{
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("zlib sources, version 1.3.1\n");
    private static readonly byte[] OtherContent = Encoding.UTF8.GetBytes("zlib sources, tampered with\n");

    private readonly TemporaryFolder _folder = new("wrapper");
    private readonly LoopbackHttpServer _server = new();
    private readonly RecordingLog _log = new();
    private TransientDownloads _thisBuild = new();

    public DownloadWrapperTests()
    {
        _server.Serve("/zlib-1.3.1.tar.gz", Content);
    }

    private string DlDir => _folder.Combine("dl");

    private string FinalPath => _folder.Combine("dl", "zlib", "zlib-1.3.1.tar.gz");

    public void Dispose()
    {
        _server.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_good_download_lands_under_its_final_name_with_mode_0644()
    {
        PackageSpec zlib = Zlib(hashFileLines: $"sha256 {Sha256(Content)} zlib-1.3.1.tar.gz");

        DownloadedFile file = (await DownloadAsync(zlib)).ShouldHaveSingleItem();

        file.Path.ShouldBe(FinalPath);
        file.Verified.ShouldBeTrue();
        File.ReadAllBytes(FinalPath).ShouldBe(Content);
        File.GetUnixFileMode(FinalPath).ShouldBe(ModeOfANewFile() & (UnixFileMode)0b110_100_100, "0644 less the umask");
        _log.Messages.ShouldContain(">>> zlib 1.3.1 Downloading");
        Directory.EnumerateFileSystemEntries(_folder.Combine("scratch")).ShouldBeEmpty("scratch folders are thrown away");
    }

    [Fact]
    public async Task An_executable_download_lands_with_mode_0755()
    {
        string upstream = _folder.WriteFile("upstream/install.sh", "#!/bin/sh\necho installed\n");
        File.SetUnixFileMode(upstream, (UnixFileMode)0b111_000_000);
        PackageSpec script = Zlib(hashFileLines: null) with { Site = $"file://{_folder.Combine("upstream")}", SiteMethod = "file", Source = "install.sh" };

        await DownloadAsync(script);

        File.GetUnixFileMode(_folder.Combine("dl", "zlib", "install.sh")).ShouldBe(ModeOfANewFolder() & (UnixFileMode)0b111_101_101, "0755 less the umask");
    }

    [Fact]
    public async Task A_wrong_hash_fails_and_leaves_nothing_under_the_final_name()
    {
        PackageSpec zlib = Zlib(hashFileLines: $"sha256 {Sha256(OtherContent)} zlib-1.3.1.tar.gz");

        await DownloadAsync(zlib);

        _log.Errors.ShouldContain(e => e.Code == MessageCodes.HashMismatch && e.Text.Contains("man-in-the-middle"));
        File.Exists(FinalPath).ShouldBeFalse();
        Directory.EnumerateFiles(DlDir, "*.tmp", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Fact]
    public async Task Wrong_bytes_from_the_primary_site_fall_through_to_the_package_site()
    {
        using var primary = new LoopbackHttpServer();
        primary.Serve("/zlib/zlib-1.3.1.tar.gz", OtherContent);
        PackageSpec zlib = Zlib(hashFileLines: $"sha256 {Sha256(Content)} zlib-1.3.1.tar.gz");

        await DownloadAsync(zlib, Settings() with { PrimarySite = primary.BaseUri });

        File.ReadAllBytes(FinalPath).ShouldBe(Content);
        primary.RequestCount("/zlib/zlib-1.3.1.tar.gz").ShouldBe(1);
        _log.Warnings.ShouldBeEmpty("a miss that a later site recovers is not worth a warning (it would fail -warnaserror builds)");
        _log.Details.ShouldContain(d => d.Contains(primary.BaseUri) && d.Contains("wrong sha256 hash"));
    }

    [Fact]
    public async Task A_second_download_makes_no_request_and_trusts_its_stamp()
    {
        PackageSpec zlib = Zlib(hashFileLines: $"sha256 {Sha256(Content)} zlib-1.3.1.tar.gz");
        await DownloadAsync(zlib);
        _server.ClearRequests();

        // Same size and time, other bytes: only a stamp that is really trusted lets this through,
        // which proves the no-op path does not re-hash the file.
        DateTime written = File.GetLastWriteTimeUtc(FinalPath);
        File.WriteAllBytes(FinalPath, Content.Select(b => (byte)(b ^ 1)).ToArray());
        File.SetLastWriteTimeUtc(FinalPath, written);
        await DownloadAsync(zlib);

        _server.Requests.ShouldBeEmpty();
        _log.Messages.Count(m => m.Contains("Downloading")).ShouldBe(1);
    }

    [Fact]
    public async Task A_build_with_everything_stamped_does_not_wait_for_the_package_lock()
    {
        PackageSpec zlib = Zlib(hashFileLines: $"sha256 {Sha256(Content)} zlib-1.3.1.tar.gz");
        await DownloadAsync(zlib);
        string lockFile = _folder.Combine("dl", "zlib", ".lock");
        using var holder = CrossProcessLockTests.StartFlockHolder(lockFile, seconds: 20);
        var later = new RecordingLog();

        DownloadedFile file = (await DownloadAsync([zlib], log: later)).ShouldHaveSingleItem();

        file.Verified.ShouldBeTrue();
        later.Messages.ShouldNotContain(m => m.Contains("Waiting for the lock"), "a file its stamp vouches for is read without the lock: files are only ever replaced by a rename");
    }

    [Fact]
    public async Task A_build_with_everything_stamped_does_not_read_hash_files_that_are_unchanged()
    {
        PackageSpec zlib = await StampedZlibAsync();

        // An exclusive flock on the hash file makes any read of it fail (.NET reads with a shared
        // flock), so the build passing shows the stamp's record of the hash file was enough.
        using var holder = CrossProcessLockTests.StartFlockHolder(zlib.HashFiles[0], seconds: 20);
        var later = new RecordingLog();

        DownloadedFile file = (await DownloadAsync([zlib], log: later)).ShouldHaveSingleItem();

        file.Verified.ShouldBeTrue();
        later.Errors.ShouldBeEmpty();
        _server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_hash_file_rewritten_at_the_same_size_makes_the_stamped_file_checked_again()
    {
        PackageSpec zlib = await StampedZlibAsync();
        string hashFile = zlib.HashFiles[0];
        long size = new FileInfo(hashFile).Length;

        // Same size, another digest: the stamp's record of the hash file no longer holds.
        File.WriteAllText(hashFile, $"sha256 {Sha256(OtherContent)} zlib-1.3.1.tar.gz\n");
        new FileInfo(hashFile).Length.ShouldBe(size);
        await DownloadAsync(zlib);

        _log.Warnings.ShouldContain(w => w.Code == MessageCodes.ExistingFileWrongHash);
        _log.Errors.ShouldNotBeEmpty("the server has only the old bytes, which the new line refuses");
    }

    [Fact]
    public async Task A_hash_file_rewritten_within_its_clock_tick_makes_the_stamped_file_checked_again()
    {
        // Written just before the download: a rewrite at the same size may keep its time (a file
        // system that keeps seconds), so the stamp must not vouch by the hash file's time alone.
        PackageSpec zlib = Zlib(hashFileLines: $"sha256 {Sha256(Content)} zlib-1.3.1.tar.gz");
        string hashFile = zlib.HashFiles[0];
        DateTime written = File.GetLastWriteTimeUtc(hashFile);
        await DownloadAsync(zlib);

        File.WriteAllText(hashFile, $"sha256 {Sha256(OtherContent)} zlib-1.3.1.tar.gz\n");
        File.SetLastWriteTimeUtc(hashFile, written);
        await DownloadAsync(zlib);

        _log.Warnings.ShouldContain(w => w.Code == MessageCodes.ExistingFileWrongHash);
    }

    [Fact]
    public async Task A_hash_file_added_to_the_package_makes_the_stamped_file_checked_against_it()
    {
        PackageSpec zlib = await StampedZlibAsync();
        string extra = _folder.WriteFile("packages/zlib/extra.hash", $"sha1 {Sha1(OtherContent)} zlib-1.3.1.tar.gz\n");

        await DownloadAsync(zlib with { HashFiles = [.. zlib.HashFiles, extra] });

        _log.Warnings.ShouldContain(w => w.Code == MessageCodes.ExistingFileWrongHash);
    }

    [Fact]
    public async Task A_hash_file_touched_but_unchanged_still_keeps_the_file_without_a_request()
    {
        PackageSpec zlib = await StampedZlibAsync();
        File.SetLastWriteTimeUtc(zlib.HashFiles[0], DateTime.UtcNow.AddMinutes(-5));

        DownloadedFile file = (await DownloadAsync(zlib)).ShouldHaveSingleItem();

        file.Verified.ShouldBeTrue();
        _server.Requests.ShouldBeEmpty();
        _log.Warnings.ShouldBeEmpty();
        _log.Errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_stamp_that_names_no_hash_files_as_older_versions_wrote_them_still_vouches()
    {
        PackageSpec zlib = await StampedZlibAsync();
        string stamp = _folder.Combine("dl", "zlib", ".brdl-verified", "zlib-1.3.1.tar.gz");
        File.ReadAllLines(stamp).ShouldContain(line => line.StartsWith("hash-files ", StringComparison.Ordinal));
        File.WriteAllLines(stamp, File.ReadAllLines(stamp).Where(line => !line.StartsWith("hash-file", StringComparison.Ordinal)));

        // Other bytes, same size and time: only a trusted stamp lets them through unchecked.
        DateTime written = File.GetLastWriteTimeUtc(FinalPath);
        File.WriteAllBytes(FinalPath, Content.Select(b => (byte)(b ^ 1)).ToArray());
        File.SetLastWriteTimeUtc(FinalPath, written);
        await DownloadAsync(zlib);

        _server.Requests.ShouldBeEmpty();
        _log.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_new_hash_line_makes_the_existing_file_checked_again()
    {
        await DownloadAsync(Zlib(hashFileLines: $"sha256 {Sha256(Content)} zlib-1.3.1.tar.gz"));
        File.WriteAllBytes(FinalPath, OtherContent);
        File.SetLastWriteTimeUtc(FinalPath, DateTime.UtcNow.AddMinutes(-5));

        await DownloadAsync(Zlib(hashFileLines: $"sha256 {Sha256(Content)} zlib-1.3.1.tar.gz\nsha1 {Sha1(Content)} zlib-1.3.1.tar.gz"));

        File.ReadAllBytes(FinalPath).ShouldBe(Content);
        _log.Warnings.ShouldContain(w => w.Code == MessageCodes.ExistingFileWrongHash);
    }

    [Fact]
    public async Task An_existing_file_that_fails_its_hashes_and_was_never_stamped_is_downloaded_again()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FinalPath)!);
        File.WriteAllBytes(FinalPath, OtherContent);

        await DownloadAsync(Zlib(hashFileLines: $"sha256 {Sha256(Content)} zlib-1.3.1.tar.gz"));

        File.ReadAllBytes(FinalPath).ShouldBe(Content);
        _log.Warnings.ShouldContain(w => w.Code == MessageCodes.ExistingFileWrongHash);
        _log.Errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_existing_file_without_a_line_in_an_existing_hash_file_is_an_error()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FinalPath)!);
        File.WriteAllBytes(FinalPath, Content);

        await DownloadAsync(Zlib(hashFileLines: $"sha256 {Sha256(Content)} some-other-file.tar.gz"));

        _log.Errors.ShouldContain(e => e.Code == MessageCodes.FileNotInHashFiles);
        _server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task No_hash_file_is_a_warning_and_an_error_when_forced()
    {
        await DownloadAsync(Zlib(hashFileLines: null));
        _log.Warnings.ShouldContain(w => w.Code == MessageCodes.NoHashFile);
        File.Exists(FinalPath).ShouldBeTrue();

        File.Delete(FinalPath);
        await DownloadAsync(Zlib(hashFileLines: null), Settings() with { ForceCheckHashes = true });

        _log.Errors.ShouldContain(e => e.Code == MessageCodes.NoHashFile);
        File.Exists(FinalPath).ShouldBeFalse();
    }

    [Fact]
    public async Task A_file_in_the_old_flat_layout_is_hard_linked_into_the_package_folder()
    {
        Directory.CreateDirectory(DlDir);
        string old = Path.Combine(DlDir, "zlib-1.3.1.tar.gz");
        File.WriteAllBytes(old, Content);

        await DownloadAsync(Zlib(hashFileLines: $"sha256 {Sha256(Content)} zlib-1.3.1.tar.gz"));

        _server.Requests.ShouldBeEmpty();
        File.ReadAllBytes(FinalPath).ShouldBe(Content);
        File.AppendAllText(old, "x");
        File.ReadAllBytes(FinalPath).Length.ShouldBe(Content.Length + 1, "the new file is a hard link to the old one");
    }

    [Fact]
    public async Task A_transient_package_is_fetched_again_on_every_build_but_once_per_build()
    {
        PackageSpec zlib = Zlib(hashFileLines: $"sha256 {Sha256(OtherContent)} zlib-1.3.1.tar.gz") with { TransientDownload = true };

        await DownloadAsync(zlib);
        await DownloadAsync(zlib);
        _server.RequestCount("/zlib-1.3.1.tar.gz").ShouldBe(1, "once within one build");

        _server.Serve("/zlib-1.3.1.tar.gz", OtherContent);
        _thisBuild = new TransientDownloads();
        DownloadedFile file = (await DownloadAsync(zlib)).ShouldHaveSingleItem();

        _server.RequestCount("/zlib-1.3.1.tar.gz").ShouldBe(2);
        File.ReadAllBytes(FinalPath).ShouldBe(OtherContent, "the new content of the branch head is picked up");
        file.Transient.ShouldBeTrue();
        _log.Warnings.ShouldContain(w => w.Code == MessageCodes.TransientNotReproducible);
        _log.Messages.Count(m => m == ">>> zlib 1.3.1 Downloading").ShouldBe(2, "a transient package is downloaded, and says so, once in each build");
    }

    [Fact]
    public async Task Offline_a_present_file_is_used_and_a_missing_one_is_named_in_an_error()
    {
        PackageSpec zlib = Zlib(hashFileLines: $"sha256 {Sha256(Content)} zlib-1.3.1.tar.gz");

        await DownloadAsync(zlib, Settings() with { Offline = true });
        _log.Errors.ShouldContain(e => e.Code == MessageCodes.OfflineFileMissing && e.Text.Contains(FinalPath));

        Directory.CreateDirectory(Path.GetDirectoryName(FinalPath)!);
        File.WriteAllBytes(FinalPath, Content);
        (await DownloadAsync(zlib, Settings() with { Offline = true })).ShouldHaveSingleItem().Verified.ShouldBeTrue();

        _server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Offline_a_transient_package_uses_the_copy_at_hand()
    {
        PackageSpec zlib = Zlib(hashFileLines: null) with { TransientDownload = true };
        await DownloadAsync(zlib);
        _server.ClearRequests();
        _thisBuild = new TransientDownloads();

        DownloadedFile file = (await DownloadAsync(zlib, Settings() with { Offline = true })).ShouldHaveSingleItem();

        file.Transient.ShouldBeTrue();
        File.ReadAllBytes(FinalPath).ShouldBe(Content);
        _server.Requests.ShouldBeEmpty();
        _log.Errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Offline_a_transient_package_says_it_uses_the_copy_at_hand_and_not_that_it_downloads()
    {
        PackageSpec zlib = Zlib(hashFileLines: null) with { TransientDownload = true };
        await DownloadAsync(zlib);
        _thisBuild = new TransientDownloads();
        var offline = new RecordingLog();

        await DownloadAsync([zlib], Settings() with { Offline = true }, log: offline);

        offline.Messages.ShouldNotContain(m => m.Contains("Downloading"), offline.Transcript);
        (string Code, string Text) warning = offline.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(MessageCodes.TransientNotReproducible);
        warning.Text.ShouldContain("offline");
        warning.Text.ShouldNotContain("fetched again");
    }

    [Fact]
    public async Task A_redirect_to_a_local_file_fails_that_site_and_the_backup_site_serves_the_file()
    {
        _server.Redirect("/zlib-1.3.1.tar.gz", "file:///etc/passwd");
        using var backup = new LoopbackHttpServer();
        backup.Serve("/zlib/zlib-1.3.1.tar.gz", Content);

        DownloadedFile file = (await DownloadAsync(Zlib(hashFileLines: $"sha256 {Sha256(Content)} zlib-1.3.1.tar.gz"), Settings() with { BackupSite = backup.BaseUri })).ShouldHaveSingleItem();

        file.Verified.ShouldBeTrue();
        File.ReadAllBytes(FinalPath).ShouldBe(Content);
        _log.Errors.ShouldBeEmpty(_log.Transcript);
        _log.Details.ShouldContain(d => d.Contains("file:///etc/passwd") && d.Contains("not an http or https URL"));
    }

    [Fact]
    public async Task A_hash_file_named_but_missing_fails_the_package_instead_of_downloading_it_unchecked()
    {
        PackageSpec zlib = Zlib(hashFileLines: null) with { HashFiles = [_folder.Combine("packages", "zlib", "zlib.hsah")] };

        var files = await DownloadAsync(zlib);

        files.ShouldBeEmpty();
        (string Code, string Text) error = _log.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe(MessageCodes.HashFileUnreadable);
        error.Text.ShouldContain("zlib.hsah");
        _log.Warnings.ShouldBeEmpty("not the BRDL0201 'no hash file' warning that let the download pass");
        File.Exists(FinalPath).ShouldBeFalse();
    }

    [Fact]
    public async Task When_every_site_fails_the_error_is_coded_by_the_site_that_served_wrong_bytes()
    {
        using var primary = new LoopbackHttpServer(); // serves nothing: 404
        _server.Misbehave("/zlib-1.3.1.tar.gz", LoopbackHttpServer.Fault.WrongBytes);

        await DownloadAsync(Zlib(hashFileLines: $"sha256 {Sha256(Content)} zlib-1.3.1.tar.gz"), Settings() with { PrimarySite = primary.BaseUri });

        (string Code, string Text) error = _log.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe(MessageCodes.HashMismatch, "the hash mismatch is the news, not the mirror's 404");
        error.Text.ShouldContain("404");
        error.Text.ShouldContain("wrong sha256 hash");
    }

    [Fact]
    public async Task A_scratch_folder_that_cannot_be_made_is_a_coded_build_error_not_an_internal_one()
    {
        // A path below a regular file cannot be a folder, whoever runs the test (root ignores modes).
        string notAFolder = _folder.WriteFile("obj-is-a-file", "x");

        await DownloadAsync(Zlib(hashFileLines: null), Settings() with { ScratchDirectory = Path.Combine(notAFolder, "scratch") });

        (string Code, string Text) error = _log.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe(MessageCodes.ScratchFolderUnusable);
        error.Text.ShouldContain("BuildrootScratchDir");
        File.Exists(FinalPath).ShouldBeFalse();
    }

    [Fact]
    public async Task A_missing_tool_fails_the_build_and_stops_the_packages_still_to_come()
    {
        PackageSpec git = Zlib(hashFileLines: null) with { Name = "foo", DlSubdir = "foo", SiteMethod = "git", Site = "https://git.example.org/foo.git", Source = "foo-1.0-git4.tar.gz" };
        PackageSpec zlib = Zlib(hashFileLines: null);
        DownloadSettings settings = Settings() with { Parallelism = 1, Tools = new ToolPaths { Git = _folder.Combine("no-such-git") } };

        var files = await DownloadAsync([git, zlib], settings);

        files.ShouldBeEmpty();
        _log.Errors.ShouldHaveSingleItem().Code.ShouldBe(MessageCodes.ToolNotFound);
        _server.Requests.ShouldBeEmpty("the build failed: the next package is not started");
    }

    [Fact]
    public async Task A_build_waits_for_a_flock_held_on_the_package_lock()
    {
        string lockFile = _folder.Combine("dl", "zlib", ".lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        using var holder = CrossProcessLockTests.StartFlockHolder(lockFile, seconds: 1);

        await DownloadAsync(Zlib(hashFileLines: $"sha256 {Sha256(Content)} zlib-1.3.1.tar.gz"));

        _log.Messages.ShouldContain(m => m.StartsWith("Waiting for the lock", StringComparison.Ordinal) && m.Contains(lockFile));
        File.Exists(FinalPath).ShouldBeTrue();
    }

    [Fact]
    public async Task Cancelling_stops_a_slow_download_and_leaves_nothing_behind()
    {
        _server.Misbehave("/zlib-1.3.1.tar.gz", LoopbackHttpServer.Fault.Slow);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Should.ThrowAsync<OperationCanceledException>(() => DownloadAsync(Zlib(hashFileLines: null), cancellation: cancellation.Token));

        File.Exists(FinalPath).ShouldBeFalse();
        Directory.EnumerateFiles(DlDir, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)).ShouldBeEmpty();
        Directory.EnumerateFileSystemEntries(_folder.Combine("scratch")).ShouldBeEmpty();
    }

    [Fact]
    public async Task One_failing_package_does_not_stop_the_others()
    {
        PackageSpec good = Zlib(hashFileLines: null);
        PackageSpec missing = good with { Name = "missing", DlSubdir = "missing", Source = "missing-1.0.tar.gz" };

        var files = await DownloadAsync([missing, good]);

        files.ShouldHaveSingleItem().Package.ShouldBe("zlib");
        _log.Errors.ShouldContain(e => e.Code == MessageCodes.AllUrisFailed && e.Text.StartsWith("missing:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Packages_download_in_parallel_up_to_the_bound_and_each_package_keeps_its_files_in_order(int parallelism)
    {
        var packages = Enumerable.Range(1, 3).Select(i =>
        {
            string name = $"pkg{i}";
            _server.Serve($"/{name}-1.0.tar.gz", Content);
            _server.Serve($"/{name}.patch", Content);
            _server.Misbehave($"/{name}-1.0.tar.gz", LoopbackHttpServer.Fault.Slow);
            return Zlib(hashFileLines: null) with { Name = name, DlSubdir = name, Source = $"{name}-1.0.tar.gz", Patches = [$"{name}.patch"] };
        }).ToArray();

        var files = await DownloadAsync(packages, Settings() with { Parallelism = parallelism });

        files.Length.ShouldBe(6);
        _server.MostConcurrentRequests.ShouldBe(parallelism);
        foreach (PackageSpec package in packages)
        {
            var paths = _server.Requests.Select(r => r.Path).Where(p => p.StartsWith($"/{package.Name}", StringComparison.Ordinal)).ToArray();
            paths.ShouldBe([$"/{package.Name}-1.0.tar.gz", $"/{package.Name}.patch"], "the source before its patch");
        }
    }

    [Fact]
    public async Task By_default_sixteen_packages_wait_on_their_servers_at_once_whatever_the_cores()
    {
        // Downloads wait on the network: on a 2-core machine the old default (twice the cores) had 4 in flight.
        var packages = Enumerable.Range(1, 16).Select(i =>
        {
            string name = $"pkg{i}";
            _server.Serve($"/{name}-1.0.tar.gz", Content);
            _server.Misbehave($"/{name}-1.0.tar.gz", LoopbackHttpServer.Fault.Slow);
            return Zlib(hashFileLines: null) with { Name = name, DlSubdir = name, Source = $"{name}-1.0.tar.gz" };
        }).ToArray();

        var files = await DownloadAsync(packages);

        files.Length.ShouldBe(16);
        _server.MostConcurrentRequests.ShouldBe(16);
    }

    private PackageSpec Zlib(string? hashFileLines)
    {
        string? hashFile = hashFileLines is null ? null : _folder.WriteFile("packages/zlib/zlib.hash", hashFileLines + "\n");

        return new PackageSpec
        {
            Name = "zlib",
            Version = "1.3.1",
            SanitizedVersion = "1.3.1",
            Site = _server.BaseUri,
            SiteMethod = "wget",
            Source = "zlib-1.3.1.tar.gz",
            DlSubdir = "zlib",
            HashFiles = hashFile is null ? [] : [hashFile],
        };
    }

    private DownloadSettings Settings() => new()
    {
        DownloadDirectory = DlDir,
        ScratchDirectory = _folder.Combine("scratch"),
    };

    private Task<System.Collections.Immutable.ImmutableArray<DownloadedFile>> DownloadAsync(PackageSpec package, DownloadSettings? settings = null, CancellationToken cancellation = default) =>
        DownloadAsync([package], settings, cancellation);

    private Task<System.Collections.Immutable.ImmutableArray<DownloadedFile>> DownloadAsync(PackageSpec[] packages, DownloadSettings? settings = null, CancellationToken cancellation = default, RecordingLog? log = null)
    {
        log ??= _log;
        var services = new DownloadServices(PostProcessCatalog.Get, new ProcessRunner(log), log, _thisBuild);
        return new DownloadRun(settings ?? Settings(), services).DownloadAllAsync(packages, cancellation);
    }

    /// <summary>0666 less this process's umask: what the kernel gives a file we create.</summary>
    private UnixFileMode ModeOfANewFile()
    {
        string probe = _folder.WriteFile("umask-probe", string.Empty);
        return File.GetUnixFileMode(probe);
    }

    /// <summary>0777 less this process's umask: what the kernel gives a folder we create.</summary>
    private UnixFileMode ModeOfANewFolder() => File.GetUnixFileMode(Directory.CreateDirectory(_folder.Combine("umask-probe-folder")).FullName);

    /// <summary>
    /// zlib downloaded and stamped, its hash file written a minute before: not just now, so its
    /// time can vouch for it and the stamp records it (see FileFingerprint.IsSettledAt).
    /// </summary>
    private async Task<PackageSpec> StampedZlibAsync()
    {
        PackageSpec zlib = Zlib(hashFileLines: $"sha256 {Sha256(Content)} zlib-1.3.1.tar.gz");
        File.SetLastWriteTimeUtc(zlib.HashFiles[0], DateTime.UtcNow.AddMinutes(-1));
        await DownloadAsync(zlib);
        _server.ClearRequests();
        return zlib;
    }

    private static string Sha256(byte[] data) => Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();

    private static string Sha1(byte[] data) => Convert.ToHexString(SHA1.HashData(data)).ToLowerInvariant();
}
