using Buildroot.Download.Tasks.Cache;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using static Buildroot.Download.Tasks.Tests.Cache.CacheTestKit;

namespace Buildroot.Download.Tasks.Tests.Cache;

/// <summary>
/// Azure Blob Storage as an http(s) cache with a SAS token from the environment, against
/// Microsoft's Azurite emulator on loopback (it checks the SAS signature and permissions).
/// Each test stores entries of its own (random content, so its own sha256) in one shared Azurite.
/// </summary>
public sealed class AzuriteCacheTests(SharedStore<AzuriteServer> shared) : IClassFixture<SharedStore<AzuriteServer>>, IDisposable
{
    private readonly CacheTestKit _kit = new();

    private AzuriteServer Azurite => shared.Store;

    private AssetCacheItem Cache(string access) =>
        Item($"{Azurite.ContainerUri}/buildroot/{{sha256}}", ("Access", access), ("Query", "env:ASSET_CACHE_SAS"));

    [RequiresToolsFact(AzuriteServer.AzuriteBlobTool)]
    public async Task A_block_blob_put_with_a_sas_token_is_found_again()
    {
        var (path, entry, content) = _kit.NewFile();
        string sas = Azurite.Sas(write: true);
        _kit.SetEnvironment("ASSET_CACHE_SAS", sas);
        AssetCacheClient client = _kit.Client(false, Cache("readwrite"));

        await client.StoreAsync(entry, path, client.Settings.Caches, _kit.Log, CancellationToken.None);
        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        _kit.Log.Warnings.ShouldBeEmpty(_kit.Log.Transcript);
        Azurite.Stored($"buildroot/{entry.Sha256}").ShouldBe(content);
        result.IsHit.ShouldBeTrue();
        File.ReadAllBytes(_kit.ScratchPath).ShouldBe(content);
        ShouldHideSignature(_kit.Log.Transcript, sas);
    }

    [RequiresToolsFact(AzuriteServer.AzuriteBlobTool)]
    public async Task A_missing_blob_is_a_miss()
    {
        var (_, entry, _) = _kit.NewFile();
        _kit.SetEnvironment("ASSET_CACHE_SAS", Azurite.Sas(write: false));
        AssetCacheClient client = _kit.Client(false, Cache("read"));

        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        result.IsHit.ShouldBeFalse();
        result.ToFill.ShouldBeEmpty("a read-only cache is never filled");
        _kit.Log.Warnings.ShouldBeEmpty(_kit.Log.Transcript);
    }

    [RequiresToolsFact(AzuriteServer.AzuriteBlobTool)]
    public async Task A_corrupt_blob_is_detected_by_its_hash()
    {
        var (_, entry, _) = _kit.NewFile();
        Azurite.Place($"buildroot/{entry.Sha256}", "not the file"u8.ToArray());
        _kit.SetEnvironment("ASSET_CACHE_SAS", Azurite.Sas(write: false));
        AssetCacheClient client = _kit.Client(false, Cache("read"));

        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        result.IsHit.ShouldBeFalse();
        var warning = _kit.Log.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(MessageCodes.AssetCacheEntryCorrupt);
        warning.Text.ShouldContain($"buildroot/{entry.Sha256}?***");
    }

    [RequiresToolsFact(AzuriteServer.AzuriteBlobTool)]
    public async Task A_read_only_sas_token_is_refused_on_upload_with_a_warning_that_hides_the_token()
    {
        var (path, entry, _) = _kit.NewFile();
        string sas = Azurite.Sas(write: false);
        _kit.SetEnvironment("ASSET_CACHE_SAS", sas);
        AssetCacheClient client = _kit.Client(false, Cache("readwrite"));

        await client.StoreAsync(entry, path, client.Settings.Caches, _kit.Log, CancellationToken.None);

        var warning = _kit.Log.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(MessageCodes.AssetCacheUploadFailed);
        warning.Text.ShouldContain("403");
        Azurite.Stored($"buildroot/{entry.Sha256}").ShouldBeNull();
        ShouldHideSignature(_kit.Log.Transcript, sas);
    }

    /// <summary>The SAS signature appears nowhere, neither as sent (percent-encoded) nor decoded.</summary>
    private static void ShouldHideSignature(string transcript, string sas)
    {
        string sent = sas.Split('&').Single(p => p.StartsWith("sig=", StringComparison.Ordinal))["sig=".Length..];
        transcript.ShouldNotContain(sent);
        transcript.ShouldNotContain(Uri.UnescapeDataString(sent));
    }

    public void Dispose() => _kit.Dispose();
}
