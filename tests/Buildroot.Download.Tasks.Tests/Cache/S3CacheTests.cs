using Buildroot.Download.Tasks.Cache;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using static Buildroot.Download.Tasks.Tests.Cache.CacheTestKit;

namespace Buildroot.Download.Tasks.Tests.Cache;

/// <summary>
/// An s3:// cache against a real S3-compatible server on loopback that recomputes every
/// request's Signature Version 4 and refuses a wrong one (see <see cref="S3CompatibleServer"/>).
/// Each test stores entries of its own (random content, so its own sha256) in one shared server.
/// </summary>
public sealed class S3CacheTests(SharedStore<S3CompatibleServer> shared) : IClassFixture<SharedStore<S3CompatibleServer>>, IDisposable
{
    private readonly CacheTestKit _kit = new();

    private S3CompatibleServer Store => shared.Store;

    [RequiresToolsFact("node", S3CompatibleServer.CliPath)]
    public async Task A_signed_upload_is_found_again_with_a_signed_lookup()
    {
        var (path, entry, content) = _kit.NewFile(name: "a b$c.tar.gz");
        _kit.SetEnvironment(Store.Environment());
        AssetCacheClient client = _kit.Client(false, Item($"s3://{S3CompatibleServer.Bucket}/buildroot/{{package}}/{{file}}-{{sha256}}", ("Access", "readwrite")));

        await client.StoreAsync(entry, path, client.Settings.Caches, _kit.Log, CancellationToken.None);
        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        _kit.Log.Warnings.ShouldBeEmpty(_kit.Log.Transcript + Store.Output);
        result.IsHit.ShouldBeTrue();
        File.ReadAllBytes(_kit.ScratchPath).ShouldBe(content);
        Store.Stored($"buildroot/zlib/a%20b%24c.tar.gz-{entry.Sha256}").ShouldBe(content);
    }

    [RequiresToolsFact("node", S3CompatibleServer.CliPath)]
    public async Task Temporary_credentials_sign_the_session_token_too()
    {
        var (path, entry, content) = _kit.NewFile();
        _kit.SetEnvironment(Store.Environment());
        _kit.SetEnvironment("AWS_SESSION_TOKEN", "session-token-6e86291e");
        AssetCacheClient client = _kit.Client(false, Item($"s3://{S3CompatibleServer.Bucket}/{{sha256}}", ("Access", "readwrite")));

        await client.StoreAsync(entry, path, client.Settings.Caches, _kit.Log, CancellationToken.None);
        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        _kit.Log.Warnings.ShouldBeEmpty(_kit.Log.Transcript + Store.Output);
        result.IsHit.ShouldBeTrue();
        Store.Stored(entry.Sha256!).ShouldBe(content);
        _kit.Log.Transcript.ShouldNotContain("session-token-6e86291e");
    }

    [RequiresToolsFact("node", S3CompatibleServer.CliPath)]
    public async Task A_missing_object_is_a_miss()
    {
        var (_, entry, _) = _kit.NewFile();
        _kit.SetEnvironment(Store.Environment());
        AssetCacheClient client = _kit.Client(false, Item($"s3://{S3CompatibleServer.Bucket}/{{sha256}}", ("Access", "readwrite")));

        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        result.IsHit.ShouldBeFalse();
        result.ToFill.ShouldHaveSingleItem();
        _kit.Log.Warnings.ShouldBeEmpty(_kit.Log.Transcript + Store.Output);
    }

    [RequiresToolsFact("node", S3CompatibleServer.CliPath)]
    public async Task A_corrupt_object_is_detected_by_its_hash()
    {
        var (_, entry, content) = _kit.NewFile();
        Store.Place(entry.Sha256!, [.. Enumerable.Reverse(content)]);
        _kit.SetEnvironment(Store.Environment());
        AssetCacheClient client = _kit.Client(false, Item($"s3://{S3CompatibleServer.Bucket}/{{sha256}}"));

        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        result.IsHit.ShouldBeFalse();
        _kit.Log.Warnings.ShouldHaveSingleItem().Code.ShouldBe(MessageCodes.AssetCacheEntryCorrupt);
        File.Exists(_kit.ScratchPath).ShouldBeFalse("a corrupt copy is never left where the wrapper could take it");
    }

    [RequiresToolsFact("node", S3CompatibleServer.CliPath)]
    public async Task A_wrong_secret_is_refused_by_the_store_and_never_printed()
    {
        var (path, entry, _) = _kit.NewFile();
        const string WrongSecret = "wrong-secret-5d672d79";
        _kit.SetEnvironment(Store.Environment(secret: WrongSecret));
        AssetCacheClient client = _kit.Client(false, Item($"s3://{S3CompatibleServer.Bucket}/{{sha256}}", ("Access", "readwrite")));

        await client.StoreAsync(entry, path, client.Settings.Caches, _kit.Log, CancellationToken.None);
        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        result.IsHit.ShouldBeFalse();
        _kit.Log.Warnings.Select(w => w.Code).ShouldBe([MessageCodes.AssetCacheUploadFailed, MessageCodes.AssetCacheLookupFailed]);
        _kit.Log.Warnings.ShouldAllBe(w => w.Text.Contains("403", StringComparison.Ordinal));
        Store.Output.ShouldContain("403", Case.Sensitive, Store.Output);
        Store.Stored(entry.Sha256!).ShouldBeNull();
        _kit.Log.Transcript.ShouldNotContain(WrongSecret);
    }

    [RequiresToolsFact("node", S3CompatibleServer.CliPath)]
    public async Task Half_a_key_pair_skips_the_cache_with_a_warning_that_names_the_missing_variable()
    {
        var (_, entry, _) = _kit.NewFile();
        _kit.SetEnvironment("AWS_ACCESS_KEY_ID", S3CompatibleServer.AccessKeyId);
        _kit.SetEnvironment("AWS_ENDPOINT_URL", Store.Endpoint);
        AssetCacheClient client = _kit.Client(false, Item($"s3://{S3CompatibleServer.Bucket}/{{sha256}}"));

        await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        var warning = _kit.Log.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(MessageCodes.AssetCacheCredentialMissing);
        warning.Text.ShouldContain("AWS_SECRET_ACCESS_KEY is not set");
    }

    [RequiresToolsFact("node", S3CompatibleServer.CliPath)]
    public async Task Aws_own_sdk_reads_what_we_store_and_we_read_what_it_stores_under_the_same_key()
    {
        // An independent check of the key encoding and the signing: AWS's .NET SDK (tests only)
        // addresses the same objects as our client, through the same signature-checking store.
        var (path, entry, content) = _kit.NewFile(package: "lib+x", name: "a b$c=d~e.tar.gz");
        _kit.SetEnvironment(Store.Environment());
        AssetCacheClient client = _kit.Client(false, Item($"s3://{S3CompatibleServer.Bucket}/br/{{package}}/{{file}}/{{sha256}}", ("Access", "readwrite")));
        string key = $"br/lib+x/a b$c=d~e.tar.gz/{entry.Sha256}";
        using var sdk = new Amazon.S3.AmazonS3Client(
            new Amazon.Runtime.BasicAWSCredentials(S3CompatibleServer.AccessKeyId, S3CompatibleServer.SecretAccessKey),
            new Amazon.S3.AmazonS3Config
            {
                ServiceURL = Store.Endpoint,
                ForcePathStyle = true,
                AuthenticationRegion = "us-east-1",
                RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
            });

        await client.StoreAsync(entry, path, client.Settings.Caches, _kit.Log, CancellationToken.None);
        using (var stored = await sdk.GetObjectAsync(S3CompatibleServer.Bucket, key))
        using (var bytes = new MemoryStream())
        {
            await stored.ResponseStream.CopyToAsync(bytes);
            bytes.ToArray().ShouldBe(content);
        }

        var other = _kit.NewFile(package: "lib+x", name: "a b$c=d~e.tar.gz");
        await sdk.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = S3CompatibleServer.Bucket,
            Key = $"br/lib+x/a b$c=d~e.tar.gz/{other.Entry.Sha256}",
            InputStream = new MemoryStream(other.Content),
        });
        CacheFetchResult result = await client.FetchAsync(other.Entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        result.IsHit.ShouldBeTrue(_kit.Log.Transcript + Store.Output);
        File.ReadAllBytes(_kit.ScratchPath).ShouldBe(other.Content);
        _kit.Log.Warnings.ShouldBeEmpty();
    }

    public void Dispose() => _kit.Dispose();
}
