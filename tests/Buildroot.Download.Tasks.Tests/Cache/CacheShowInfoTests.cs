using System.Text.Json;
using Buildroot.Download.Tasks.Cache;
using static Buildroot.Download.Tasks.Tests.Cache.CacheTestKit;

namespace Buildroot.Download.Tasks.Tests.Cache;

/// <summary>What show-info will list for each file: the cache URLs in order, with no secret.</summary>
public sealed class CacheShowInfoTests : IDisposable
{
    private const string Sha = "9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23";
    private readonly CacheTestKit _kit = new();

    [Fact]
    public void Each_cache_url_is_listed_in_order_with_its_access_and_no_secret()
    {
        _kit.SetEnvironment("ASSET_CACHE_SAS", "sv=2022-11-02&sr=c&sp=r&sig=SECRET%2BSIG");
        _kit.SetEnvironment("ASSET_CACHE_TOKEN", "Bearer SECRET-TOKEN");
        _kit.SetEnvironment("AWS_ACCESS_KEY_ID", "AKIDSECRETID");
        _kit.SetEnvironment("AWS_SECRET_ACCESS_KEY", "SECRET-KEY");
        _kit.SetEnvironment("AWS_REGION", "eu-west-1");
        AssetCacheClient client = _kit.Client(
            false,
            Item("https://cache.example.com/br/{sha256}", ("Access", "readwrite"), ("Headers", "Authorization=env:ASSET_CACHE_TOKEN")),
            Item("https://acct.blob.core.windows.net/c/{file}-{sha256}", ("Query", "env:ASSET_CACHE_SAS")),
            Item("s3://build-assets/br/{package}/{sha256}"),
            Item("https://other.example.com/{sha256}", ("Query", "env:UNSET_SAS")));

        IReadOnlyList<CacheUrlInfo> caches = client.Describe(new CacheEntry("zlib", "zlib 1.3.tar.xz", Sha));

        caches.ShouldBe(
        [
            new CacheUrlInfo(1, $"https://cache.example.com/br/{Sha}", "readwrite", null),
            new CacheUrlInfo(2, $"https://acct.blob.core.windows.net/c/zlib%201.3.tar.xz-{Sha}?***", "read", null),
            new CacheUrlInfo(3, $"https://build-assets.s3.eu-west-1.amazonaws.com/br/zlib/{Sha}", "read", null),
            new CacheUrlInfo(4, null, "read", caches[3].Problem),
        ]);
        caches[3].Problem.ShouldNotBeNull().ShouldContain("UNSET_SAS");
        string json = JsonSerializer.Serialize(caches);
        foreach (string secret in new[] { "SECRET%2BSIG", "SECRET+SIG", "SECRET-TOKEN", "AKIDSECRETID", "SECRET-KEY" })
        {
            json.ShouldNotContain(secret, Case.Sensitive);
        }
    }

    [Fact]
    public void A_file_without_a_sha256_has_no_cache_url()
    {
        AssetCacheClient client = _kit.Client(false, Item("https://cache.example.com/br/{sha256}"));

        client.Describe(new CacheEntry("zlib", "zlib.tar.xz", null)).ShouldBeEmpty();
    }

    public void Dispose() => _kit.Dispose();
}
