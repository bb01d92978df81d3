using Buildroot.Download.Tasks.Cache;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Tests.Cache;

/// <summary>BuildrootAssetCache items and BuildrootAssetCacheOnly, read into the immutable model.</summary>
public sealed class AssetCacheDeclarationTests
{
    private readonly RecordingLog _log = new();

    [Fact]
    public void Valid_items_keep_their_order_access_headers_and_query_variable()
    {
        AssetCacheSettings settings = Read(
            [
                Item("https://cache.example.com/buildroot/{sha256}", ("Access", "readwrite"), ("Headers", "Authorization=env:ASSET_CACHE_TOKEN; X-Team = env:TEAM")),
                Item("https://acct.blob.core.windows.net/c/{package}/{file}-{sha256}", ("Query", "env:ASSET_CACHE_SAS")),
                Item("s3://build-assets/buildroot/{sha256}", ("Access", "READ")),
            ],
            cacheOnly: "true")!;

        settings.CacheOnly.ShouldBeTrue();
        settings.Caches.Select(c => c.Position).ShouldBe([1, 2, 3]);
        settings.Caches[0].Access.ShouldBe(CacheAccess.ReadWrite);
        settings.Caches[0].Headers.ShouldBe([new CacheHeader("Authorization", "ASSET_CACHE_TOKEN"), new CacheHeader("X-Team", "TEAM")]);
        settings.Caches[1].Access.ShouldBe(CacheAccess.Read);
        settings.Caches[1].QueryVariable.ShouldBe("ASSET_CACHE_SAS");
        settings.Caches[2].Template.IsS3.ShouldBeTrue();
        settings.Caches[2].Template.Bucket.ShouldBe("build-assets");
        _log.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void No_items_and_no_cache_only_mean_no_cache()
    {
        AssetCacheSettings settings = Read([], cacheOnly: "")!;

        settings.IsEmpty.ShouldBeTrue();
        settings.CacheOnly.ShouldBeFalse();
    }

    [Theory]
    [InlineData("ftp://cache.example.com/{sha256}", "is not an http://, https:// or s3:// URL")]
    [InlineData("cache.example.com/{sha256}", "is not an http://, https:// or s3:// URL")]
    [InlineData("https://cache.example.com/{file}", "has no {sha256}")]
    [InlineData("https://{package}.example.com/{sha256}", "has no fixed host")]
    [InlineData("https://cache.example.com/{sha256}?pkg={package}", "placeholder in its query")]
    [InlineData("https://cache.example.com/{sha256}#{file}", "fragment")]
    [InlineData("https://cache.example.com/{sha256}/{version}", "unknown placeholder '{version}'")]
    [InlineData("https://cache.example.com/{sha256}}", "unmatched")]
    [InlineData("https://user:s3cret@cache.example.com/{sha256}", "holds credentials")]
    [InlineData("https://acct.blob.core.windows.net/c/{sha256}?sv=2022-11-02&sig=s3cret", "holds a credential")]
    [InlineData("s3://bucket", "no object key")]
    [InlineData("s3://bucket/{sha256}?versionId=1", "has a query")]
    [InlineData("s3://-bad/{sha256}", "not a valid bucket name")]
    public void A_bad_url_template_is_an_error_that_says_what_is_wrong(string template, string problem)
    {
        Read([Item(template)], cacheOnly: null).ShouldBeNull();

        _log.Errors.ShouldHaveSingleItem().Code.ShouldBe(MessageCodes.InvalidAssetCache);
        _log.Errors[0].Text.ShouldContain(problem);
        _log.Errors[0].Text.ShouldNotContain("s3cret");
    }

    [Theory]
    [InlineData("Authorization=Bearer abc123", "a literal value")]
    [InlineData("Authorization=abc123", "a literal value")]
    [InlineData("Authorization=env:", "env:VARIABLE_NAME")]
    [InlineData("Authorization=env:1BAD", "env:VARIABLE_NAME")]
    [InlineData("Authorization", "not Name=env:VARIABLE")]
    [InlineData("Bad Name=env:X", "not Name=env:VARIABLE")]
    [InlineData("Host=env:X", "sets the header 'Host'")]
    [InlineData("A=env:X;a=env:Y", "twice")]
    public void A_header_must_come_from_an_environment_variable(string headers, string problem)
    {
        Read([Item("https://cache.example.com/{sha256}", ("Headers", headers))], cacheOnly: null).ShouldBeNull();

        _log.Errors.ShouldHaveSingleItem().Code.ShouldBe(MessageCodes.InvalidAssetCache);
        _log.Errors[0].Text.ShouldContain(problem);
        _log.Errors[0].Text.ShouldNotContain("abc123");
    }

    [Fact]
    public void A_literal_query_is_refused_so_no_sas_token_sits_in_a_project_file()
    {
        Read([Item("https://acct.blob.core.windows.net/c/{sha256}", ("Query", "sv=2022-11-02&sig=SECRETSIG"))], cacheOnly: null).ShouldBeNull();

        _log.Errors.ShouldHaveSingleItem().Text.ShouldContain("env:VARIABLE_NAME");
        _log.Transcript.ShouldNotContain("SECRETSIG");
    }

    [Theory]
    [InlineData("Headers", "Authorization=env:TOKEN")]
    [InlineData("Query", "env:SAS")]
    public void An_s3_cache_takes_its_credentials_from_the_aws_variables_only(string metadata, string value)
    {
        Read([Item("s3://bucket/{sha256}", (metadata, value))], cacheOnly: null).ShouldBeNull();

        _log.Errors.ShouldHaveSingleItem().Text.ShouldContain("AWS_ACCESS_KEY_ID");
    }

    [Fact]
    public void An_unknown_access_is_an_error()
    {
        Read([Item("https://cache.example.com/{sha256}", ("Access", "write"))], cacheOnly: null).ShouldBeNull();

        _log.Errors.ShouldHaveSingleItem().Text.ShouldContain("use read or readwrite");
    }

    [Fact]
    public void Every_bad_item_is_reported_not_only_the_first()
    {
        Read([Item("ftp://a/{sha256}"), Item("https://ok.example.com/{sha256}"), Item("https://b.example.com/{file}")], cacheOnly: null).ShouldBeNull();

        _log.Errors.Count.ShouldBe(2);
    }

    [Fact]
    public void Cache_only_without_a_cache_is_an_error()
    {
        Read([], cacheOnly: "true").ShouldBeNull();

        _log.Errors.ShouldHaveSingleItem().Code.ShouldBe(MessageCodes.AssetCacheOnlyWithoutCache);
    }

    [Fact]
    public void Cache_only_must_be_a_boolean()
    {
        Read([Item("https://cache.example.com/{sha256}")], cacheOnly: "maybe").ShouldBeNull();

        _log.Errors.ShouldHaveSingleItem().Code.ShouldBe(MessageCodes.InvalidBoolean);
    }

    private static AssetCacheItem Item(string spec, params (string Name, string Value)[] metadata) =>
        new(spec, metadata.ToDictionary(m => m.Name, m => m.Value, StringComparer.OrdinalIgnoreCase));

    private AssetCacheSettings? Read(AssetCacheItem[] items, string? cacheOnly) => AssetCacheDeclaration.Read(items, cacheOnly, _log);
}
