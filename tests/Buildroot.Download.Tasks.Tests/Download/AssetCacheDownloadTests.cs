using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Cache;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Buildroot.Download.Tasks.TestUtilities;
using Buildroot.Download.Tasks.Vendoring;

namespace Buildroot.Download.Tasks.Tests.Download;

/// <summary>
/// The asset caches in the wrapper's flow, in-process: a real nginx WebDAV store and a real
/// upstream HTTP server on loopback, real download folders. Each "machine" is a download run
/// with a download folder of its own.
/// </summary>
public sealed class AssetCacheDownloadTests : IDisposable
{
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("zlib sources, version 1.3.1, from upstream\n");
    private static readonly string ContentSha256 = Sha256(Content);
    private static readonly TransferLimits Limits = new(TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

    private readonly TemporaryFolder _folder = new("cached");
    private readonly LoopbackHttpServer _upstream = new();
    private readonly RecordingLog _log = new();
    private readonly HttpDownloader _http = new(new HttpDownloadSettings { Tries = 1, FirstRetryDelay = TimeSpan.FromMilliseconds(10), EnvironmentVariable = _ => null });
    private readonly Lazy<NginxWebDavServer> _nginx = new(() => new NginxWebDavServer());

    public AssetCacheDownloadTests()
    {
        _upstream.Serve("/zlib-1.3.1.tar.gz", Content);
    }

    private NginxWebDavServer Nginx => _nginx.Value;

    private string CacheItem => $"{Nginx.BaseUri}/cache/{{sha256}}";

    public void Dispose()
    {
        if (_nginx.IsValueCreated)
        {
            _nginx.Value.Dispose();
        }

        _http.Dispose();
        _upstream.Dispose();
        _folder.Dispose();
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_miss_is_downloaded_from_the_site_and_stored_and_the_next_machine_gets_it_from_the_cache_alone()
    {
        PackageSpec zlib = Zlib();

        await DownloadAsync(zlib, "machine-1", Caches(false, Item(CacheItem, "readwrite")));

        _upstream.RequestCount("/zlib-1.3.1.tar.gz").ShouldBe(1);
        Nginx.Stored($"cache/{ContentSha256}").ShouldBe(Content, "stored, and awaited before the run ended");

        ImmutableArray<DownloadedFile> second = await DownloadAsync(zlib, "machine-2", Caches(false, Item(CacheItem, "readwrite")));

        _upstream.RequestCount("/zlib-1.3.1.tar.gz").ShouldBe(1, "the second machine asked upstream nothing");
        DownloadedFile file = second.ShouldHaveSingleItem();
        file.Verified.ShouldBeTrue();
        File.ReadAllBytes(file.Path).ShouldBe(Content);
        _log.Messages.ShouldContain(m => m.StartsWith("zlib: zlib-1.3.1.tar.gz from asset cache 1", StringComparison.Ordinal));
        Nginx.AccessLog.Count(line => line.StartsWith("PUT ", StringComparison.Ordinal)).ShouldBe(1, "a hit is not stored again");
        _log.Warnings.ShouldBeEmpty();
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_file_at_hand_that_passes_its_hashes_needs_no_cache()
    {
        PackageSpec zlib = Zlib();
        string atHand = _folder.WriteFile("machine-1/dl/zlib/zlib-1.3.1.tar.gz", Encoding.UTF8.GetString(Content));

        DownloadedFile file = (await DownloadAsync(zlib, "machine-1", Caches(false, Item(CacheItem, "readwrite")))).ShouldHaveSingleItem();

        file.Path.ShouldBe(atHand);
        Nginx.AccessLog.ShouldBeEmpty();
        _upstream.Requests.ShouldBeEmpty();
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task Offline_no_cache_is_asked_either_the_caches_are_network_too()
    {
        Nginx.Place($"cache/{ContentSha256}", Content);

        await DownloadAsync(Zlib(), "machine-1", Caches(false, Item(CacheItem, "readwrite")), offline: true);

        _log.Errors.ShouldHaveSingleItem().Code.ShouldBe(MessageCodes.OfflineFileMissing);
        Nginx.AccessLog.ShouldBeEmpty();
        _upstream.Requests.ShouldBeEmpty();
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task Air_gapped_a_miss_is_one_error_naming_package_file_and_sha256_and_no_site_is_asked()
    {
        await DownloadAsync(Zlib(), "machine-1", Caches(true, Item(CacheItem, "readwrite")));

        var error = _log.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe(MessageCodes.AssetCacheOnlyMiss);
        error.Text.ShouldContain("zlib: zlib-1.3.1.tar.gz");
        error.Text.ShouldContain(ContentSha256);
        _upstream.Requests.ShouldBeEmpty();
        File.Exists(_folder.Combine("machine-1", "dl", "zlib", "zlib-1.3.1.tar.gz")).ShouldBeFalse();
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task Air_gapped_a_transient_package_is_an_error_that_says_why_no_cache_can_hold_it()
    {
        PackageSpec nightly = Zlib() with { TransientDownload = true, HashFiles = [] };

        await DownloadAsync(nightly, "machine-1", Caches(true, Item(CacheItem, "readwrite")));

        var error = _log.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe(MessageCodes.AssetCacheOnlyMiss);
        error.Text.ShouldContain("transient");
        _upstream.Requests.ShouldBeEmpty();
        Nginx.AccessLog.ShouldBeEmpty();
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_corrupt_entry_is_skipped_with_a_warning_and_replaced_in_a_readwrite_cache()
    {
        Nginx.Place($"cache/{ContentSha256}", Encoding.UTF8.GetBytes("truncated"));

        DownloadedFile file = (await DownloadAsync(Zlib(), "machine-1", Caches(false, Item(CacheItem, "readwrite")))).ShouldHaveSingleItem();

        _log.Warnings.ShouldHaveSingleItem().Code.ShouldBe(MessageCodes.AssetCacheEntryCorrupt);
        File.ReadAllBytes(file.Path).ShouldBe(Content);
        _upstream.RequestCount("/zlib-1.3.1.tar.gz").ShouldBe(1);
        Nginx.Stored($"cache/{ContentSha256}").ShouldBe(Content, "the corrupt copy was replaced");
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_corrupt_entry_in_a_read_only_cache_is_skipped_and_left_alone()
    {
        byte[] corrupt = Encoding.UTF8.GetBytes("truncated");
        Nginx.Place($"readonly/{ContentSha256}", corrupt);

        DownloadedFile file = (await DownloadAsync(Zlib(), "machine-1", Caches(false, Item($"{Nginx.BaseUri}/readonly/{{sha256}}", "read")))).ShouldHaveSingleItem();

        _log.Warnings.ShouldHaveSingleItem().Code.ShouldBe(MessageCodes.AssetCacheEntryCorrupt);
        File.ReadAllBytes(file.Path).ShouldBe(Content);
        Nginx.AccessLog.ShouldNotContain(line => line.StartsWith("PUT ", StringComparison.Ordinal));
        Nginx.Stored($"readonly/{ContentSha256}").ShouldBe(corrupt);
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_hit_in_a_later_cache_fills_an_earlier_readwrite_cache_that_lacked_it()
    {
        Nginx.Place($"readonly/{ContentSha256}", Content);

        await DownloadAsync(Zlib(), "machine-1", Caches(false, Item(CacheItem, "readwrite"), Item($"{Nginx.BaseUri}/readonly/{{sha256}}", "read")));

        _upstream.Requests.ShouldBeEmpty();
        Nginx.Stored($"cache/{ContentSha256}").ShouldBe(Content);
    }

    [RequiresToolsTheory(NginxWebDavServer.NginxPath)]
    [InlineData("no hash file")]
    [InlineData("sha1 only")]
    [InlineData("transient")]
    public async Task A_file_without_a_known_sha256_is_never_looked_up_nor_stored_and_the_log_says_so(string kind)
    {
        PackageSpec zlib = kind switch
        {
            "no hash file" => Zlib() with { HashFiles = [] },
            "sha1 only" => Zlib($"sha1 {Convert.ToHexString(SHA1.HashData(Content)).ToLowerInvariant()} zlib-1.3.1.tar.gz"),
            _ => Zlib() with { TransientDownload = true },
        };

        DownloadedFile file = (await DownloadAsync(zlib, "machine-1", Caches(false, Item(CacheItem, "readwrite")))).ShouldHaveSingleItem();

        File.ReadAllBytes(file.Path).ShouldBe(Content);
        Nginx.AccessLog.ShouldBeEmpty();
        _log.Details.ShouldContain(d => d.Contains("zlib-1.3.1.tar.gz") && d.Contains("asset caches are not used for it"));
    }

    [RequiresToolsTheory(NginxWebDavServer.NginxPath)]
    [InlineData("git", null, "foo-1.0-git4.tar.gz")]
    [InlineData("svn", null, "foo-1.0-svn5.tar.gz")]
    [InlineData("git", "cargo", "foo-1.0-git4-cargo6.tar.gz")]
    [InlineData("wget", "go", "foo-1.0-go2.tar.gz")]
    public async Task An_archive_from_version_control_or_vendoring_in_the_cache_needs_no_tool_and_no_reachable_site(string method, string? postProcess, string fileName)
    {
        // Content-addressed: whatever bytes hash to the listed sha256 are the archive.
        byte[] archive = Encoding.UTF8.GetBytes($"the {fileName} archive another machine made\n");
        Nginx.Place($"cache/{Sha256(archive)}", archive);
        string hashFile = _folder.WriteFile("packages/foo/foo.hash", $"sha256  {Sha256(archive)}  {fileName}\n");
        var foo = new PackageSpec
        {
            Name = "foo",
            Version = "1.0",
            SanitizedVersion = "1.0",
            Site = method == "wget" ? "https://downloads.invalid/foo" : $"https://{method}.invalid/foo",
            SiteMethod = method,
            Source = fileName,
            DlSubdir = "foo",
            HashFiles = [hashFile],
            DownloadPostProcess = postProcess,
        };
        string missing = _folder.Combine("no-such-tool");
        DownloadSettings settings = Settings("machine-1") with { Tools = new ToolPaths { Git = missing, Svn = missing, Cargo = missing, Go = missing, Gzip = missing, Tar = missing } };

        DownloadedFile file = (await DownloadAsync(foo, "machine-1", Caches(false, Item(CacheItem, "read")), settings: settings)).ShouldHaveSingleItem();

        _log.Errors.ShouldBeEmpty();
        File.ReadAllBytes(file.Path).ShouldBe(archive);
        file.Verified.ShouldBeTrue();
        Directory.EnumerateFileSystemEntries(_folder.Combine("machine-1", "dl", "foo")).Select(Path.GetFileName).ShouldBe([".lock", ".brdl-verified", fileName], ignoreOrder: true, "no clone, no checkout, no vendoring");
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task An_upload_refused_is_a_warning_and_the_download_succeeds()
    {
        DownloadedFile file = (await DownloadAsync(Zlib(), "machine-1", Caches(false, Item($"{Nginx.BaseUri}/readonly/{{sha256}}", "readwrite")))).ShouldHaveSingleItem();

        _log.Errors.ShouldBeEmpty();
        File.ReadAllBytes(file.Path).ShouldBe(Content);
        var warning = _log.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(MessageCodes.AssetCacheUploadFailed);
        warning.Text.ShouldContain("403");
    }

    [Fact]
    public async Task An_upload_to_a_store_that_stalls_ends_at_the_stall_limit_with_a_warning()
    {
        using var store = new LoopbackHttpServer();
        store.Misbehave("PUT", $"/cache/{ContentSha256}", LoopbackHttpServer.Fault.NeverAnswer);

        DownloadedFile file = (await DownloadAsync(Zlib(), "machine-1", Caches(false, Item($"{store.BaseUri}/cache/{{sha256}}", "readwrite")))).ShouldHaveSingleItem();

        _log.Errors.ShouldBeEmpty();
        File.ReadAllBytes(file.Path).ShouldBe(Content);
        var warning = _log.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(MessageCodes.AssetCacheUploadFailed);
        warning.Text.ShouldContain("for 1 s");
        store.Requests.Select(r => r.Method).ShouldBe(["GET", "PUT"]);
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task Two_machines_storing_the_same_entry_at_once_is_harmless()
    {
        byte[] big = new byte[8 << 20];
        Random.Shared.NextBytes(big);
        _upstream.Serve("/zlib-1.3.1.tar.gz", big);
        PackageSpec zlib = Zlib($"sha256 {Sha256(big)} zlib-1.3.1.tar.gz");

        await Task.WhenAll(
            DownloadAsync(zlib, "machine-1", Caches(false, Item(CacheItem, "readwrite"))),
            DownloadAsync(zlib, "machine-2", Caches(false, Item(CacheItem, "readwrite"))));

        _log.Errors.ShouldBeEmpty();
        _log.Warnings.ShouldBeEmpty();
        Nginx.Stored($"cache/{Sha256(big)}").ShouldBe(big);
        File.ReadAllBytes(_folder.Combine("machine-1", "dl", "zlib", "zlib-1.3.1.tar.gz")).ShouldBe(big);
        File.ReadAllBytes(_folder.Combine("machine-2", "dl", "zlib", "zlib-1.3.1.tar.gz")).ShouldBe(big);
    }

    private PackageSpec Zlib(string? hashFileLine = null)
    {
        string hashFile = _folder.WriteFile("packages/zlib/zlib.hash", (hashFileLine ?? $"sha256 {ContentSha256} zlib-1.3.1.tar.gz") + "\n");
        return new PackageSpec
        {
            Name = "zlib",
            Version = "1.3.1",
            SanitizedVersion = "1.3.1",
            Site = _upstream.BaseUri,
            SiteMethod = "wget",
            Source = "zlib-1.3.1.tar.gz",
            DlSubdir = "zlib",
            HashFiles = [hashFile],
        };
    }

    private static AssetCacheItem Item(string spec, string access) =>
        new(spec, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Access"] = access });

    private AssetCacheRun Caches(bool cacheOnly, params AssetCacheItem[] items)
    {
        AssetCacheSettings settings = AssetCacheDeclaration.Read(items, cacheOnly ? "true" : "false", _log)
            ?? throw new InvalidOperationException($"The test's caches are invalid: {_log.Transcript}");
        return new AssetCacheRun(new AssetCacheClient(settings, _http, _ => null, limits: Limits), Limits, _log, parallelism: 4);
    }

    private DownloadSettings Settings(string machine, bool offline = false) => new()
    {
        DownloadDirectory = _folder.Combine(machine, "dl"),
        ScratchDirectory = _folder.Combine(machine, "scratch"),
        Offline = offline,
        Limits = Limits,
    };

    private Task<ImmutableArray<DownloadedFile>> DownloadAsync(PackageSpec package, string machine, AssetCacheRun caches, bool offline = false, DownloadSettings? settings = null)
    {
        var services = new DownloadServices(PostProcessCatalog.Get, new ProcessRunner(_log), _log, new TransientDownloads(), caches);
        return new DownloadRun(settings ?? Settings(machine, offline), services).DownloadAllAsync([package], CancellationToken.None);
    }

    private static string Sha256(byte[] data) => Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();
}
