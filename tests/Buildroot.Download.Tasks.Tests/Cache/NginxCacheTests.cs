using Buildroot.Download.Tasks.Cache;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using static Buildroot.Download.Tasks.Tests.Cache.CacheTestKit;

namespace Buildroot.Download.Tasks.Tests.Cache;

/// <summary>The cache client against a real nginx with WebDAV PUT, started on loopback for each test.</summary>
public sealed class NginxCacheTests : IDisposable
{
    private readonly NginxWebDavServer _nginx = new();
    private readonly CacheTestKit _kit = new();

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_stored_file_is_found_again_byte_for_byte_with_its_digests()
    {
        var (path, entry, content) = _kit.NewFile();
        AssetCacheClient client = _kit.Client(false, Item($"{_nginx.BaseUri}/cache/{{package}}/{{sha256}}", ("Access", "readwrite")));

        await client.StoreAsync(entry, path, client.Settings.Caches, _kit.Log, CancellationToken.None);
        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, ["md5"], _kit.Log, CancellationToken.None);

        _nginx.Stored($"cache/zlib/{entry.Sha256}").ShouldBe(content);
        result.IsHit.ShouldBeTrue(_kit.Log.Transcript);
        result.HitIn!.Position.ShouldBe(1);
        File.ReadAllBytes(_kit.ScratchPath).ShouldBe(content);
        result.Digests!["sha256"].ShouldBe(entry.Sha256);
        result.Digests["md5"].ShouldBe(Convert.ToHexString(System.Security.Cryptography.MD5.HashData(content)).ToLowerInvariant());
        result.ToFill.ShouldBeEmpty();
        _kit.Log.Warnings.ShouldBeEmpty();
        _nginx.WaitForAccessLog(line => line.StartsWith($"PUT /cache/zlib/{entry.Sha256} ", StringComparison.Ordinal)).ShouldContain(" 201 ");
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_missing_entry_is_a_quiet_miss_and_a_readwrite_cache_is_marked_to_be_filled()
    {
        var (_, entry, _) = _kit.NewFile();
        AssetCacheClient client = _kit.Client(false, Item($"{_nginx.BaseUri}/cache/{{sha256}}", ("Access", "readwrite")), Item($"{_nginx.BaseUri}/readonly/{{sha256}}"));

        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        result.IsHit.ShouldBeFalse();
        result.ToFill.Select(c => c.Position).ShouldBe([1]);
        File.Exists(_kit.ScratchPath).ShouldBeFalse();
        _kit.Log.Warnings.ShouldBeEmpty();
        _kit.Log.Details.ShouldContain(line => line.Contains("asset cache 1", StringComparison.Ordinal) && line.Contains("is not there", StringComparison.Ordinal));
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_corrupt_entry_is_detected_by_its_hash_skipped_with_a_warning_and_the_next_cache_is_used()
    {
        var (path, entry, content) = _kit.NewFile();
        _nginx.Place($"cache/{entry.Sha256}", [.. content.Take(50_000), .. new byte[50_000]]);
        _nginx.Place($"readonly/{entry.Sha256}", content);
        AssetCacheClient client = _kit.Client(false, Item($"{_nginx.BaseUri}/cache/{{sha256}}", ("Access", "readwrite")), Item($"{_nginx.BaseUri}/readonly/{{sha256}}"));

        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        var warning = _kit.Log.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(MessageCodes.AssetCacheEntryCorrupt);
        warning.Text.ShouldContain($"zlib/zlib-1.3.1.tar.gz (sha256 {entry.Sha256})");
        warning.Text.ShouldContain("will be replaced");
        result.HitIn!.Position.ShouldBe(2);
        File.ReadAllBytes(_kit.ScratchPath).ShouldBe(content);
        result.ToFill.Select(c => c.Position).ShouldBe([1], "the corrupt copy is to be replaced once the file passed its hashes");

        await client.StoreAsync(entry, path, result.ToFill, _kit.Log, CancellationToken.None);
        _nginx.Stored($"cache/{entry.Sha256}").ShouldBe(content);
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_refused_upload_is_a_warning_and_never_an_error()
    {
        var (path, entry, _) = _kit.NewFile();
        AssetCacheClient client = _kit.Client(false, Item($"{_nginx.BaseUri}/readonly/{{sha256}}", ("Access", "readwrite")));

        await client.StoreAsync(entry, path, client.Settings.Caches, _kit.Log, CancellationToken.None);

        var warning = _kit.Log.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(MessageCodes.AssetCacheUploadFailed);
        warning.Text.ShouldContain("403");
        warning.Text.ShouldContain("do not allow writing");
        _kit.Log.Errors.ShouldBeEmpty();
        _nginx.Stored($"readonly/{entry.Sha256}").ShouldBeNull();
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task After_a_refused_upload_no_more_uploads_go_to_that_cache_in_this_build()
    {
        var (firstPath, first, _) = _kit.NewFile(name: "a.tar.gz");
        var (secondPath, second, _) = _kit.NewFile(name: "b.tar.gz");
        AssetCacheClient client = _kit.Client(false, Item($"{_nginx.BaseUri}/readonly/{{sha256}}", ("Access", "readwrite")));

        await client.StoreAsync(first, firstPath, client.Settings.Caches, _kit.Log, CancellationToken.None);
        await client.StoreAsync(second, secondPath, client.Settings.Caches, _kit.Log, CancellationToken.None);

        _kit.Log.Warnings.ShouldHaveSingleItem().Text.ShouldContain("No more uploads go to it in this build");
        _kit.Log.Details.Count(line => line.StartsWith("PUT ", StringComparison.Ordinal)).ShouldBe(1, "the second file is not sent to a store that refused the first");
        _nginx.WaitForAccessLog(line => line.StartsWith("PUT /readonly/", StringComparison.Ordinal)).ShouldContain(" 403 ");
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_token_from_the_environment_is_sent_and_never_logged()
    {
        var (path, entry, content) = _kit.NewFile();
        _kit.SetEnvironment("ASSET_CACHE_TOKEN", $"Bearer {_nginx.Token}");
        AssetCacheClient client = _kit.Client(false, Item($"{_nginx.BaseUri}/private/{{sha256}}", ("Access", "readwrite"), ("Headers", "Authorization=env:ASSET_CACHE_TOKEN")));

        await client.StoreAsync(entry, path, client.Settings.Caches, _kit.Log, CancellationToken.None);
        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        result.IsHit.ShouldBeTrue(_kit.Log.Transcript);
        _nginx.Stored($"private/{entry.Sha256}").ShouldBe(content);
        _kit.Log.Transcript.ShouldNotContain(_nginx.Token);
        _kit.Log.Details.ShouldContain(line => line.StartsWith("PUT ", StringComparison.Ordinal));
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_wrong_token_is_a_failed_lookup_that_names_the_status_not_the_token()
    {
        var (_, entry, _) = _kit.NewFile();
        _kit.SetEnvironment("ASSET_CACHE_TOKEN", "Bearer not-the-token-8f2e");
        AssetCacheClient client = _kit.Client(false, Item($"{_nginx.BaseUri}/private/{{sha256}}", ("Headers", "Authorization=env:ASSET_CACHE_TOKEN")));

        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        result.IsHit.ShouldBeFalse();
        var warning = _kit.Log.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(MessageCodes.AssetCacheLookupFailed);
        warning.Text.ShouldContain("401");
        warning.Text.ShouldContain("the credentials its environment variables give");
        warning.Text.ShouldNotContain("site URL", Case.Insensitive, "user-info in a cache URL is refused: the site advice would mislead");
        _kit.Log.Transcript.ShouldNotContain("not-the-token-8f2e");
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task An_unset_variable_skips_the_cache_with_one_warning_and_no_request()
    {
        var (_, entry, _) = _kit.NewFile();
        AssetCacheClient client = _kit.Client(false, Item($"{_nginx.BaseUri}/private/{{sha256}}", ("Headers", "Authorization=env:ASSET_CACHE_TOKEN")));

        await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);
        await client.FetchAsync(entry with { FileName = "other.tar.gz" }, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        var warning = _kit.Log.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(MessageCodes.AssetCacheCredentialMissing);
        warning.Text.ShouldContain("ASSET_CACHE_TOKEN");
        _nginx.AccessLog.ShouldBeEmpty();
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_file_without_a_known_sha256_is_never_looked_up_and_says_so_at_low_importance()
    {
        AssetCacheClient client = _kit.Client(false, Item($"{_nginx.BaseUri}/cache/{{sha256}}", ("Access", "readwrite")));

        CacheFetchResult result = await client.FetchAsync(new CacheEntry("zlib", "zlib.tar.gz", null), _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        result.IsHit.ShouldBeFalse();
        result.ToFill.ShouldBeEmpty();
        _kit.Log.Details.ShouldContain(line => line.Contains("no sha256 is known", StringComparison.Ordinal));
        _kit.Log.Warnings.ShouldBeEmpty();
        _nginx.AccessLog.ShouldBeEmpty();
    }

    public void Dispose()
    {
        _kit.Dispose();
        _nginx.Dispose();
    }
}
