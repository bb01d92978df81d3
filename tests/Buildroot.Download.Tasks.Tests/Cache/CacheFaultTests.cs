using System.Diagnostics;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Cache;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using static Buildroot.Download.Tasks.Tests.Cache.CacheTestKit;

namespace Buildroot.Download.Tasks.Tests.Cache;

/// <summary>A store that stalls, and air-gapped mode: bounded, coded, and nothing left behind.</summary>
public sealed class CacheFaultTests : IDisposable
{
    private static readonly TimeSpan StallLimit = TimeSpan.FromMilliseconds(400);

    private readonly StallingServer _stalling = new();
    private readonly CacheTestKit _kit = new(
        new HttpDownloadSettings
        {
            Tries = 2,
            FirstRetryDelay = TimeSpan.FromMilliseconds(10),
            EnvironmentVariable = _ => null,
        },
        new TransferLimits(StallLimit, TimeSpan.FromHours(1)));

    [Fact]
    public async Task A_lookup_in_a_store_that_stalls_gives_up_at_the_stall_limit_and_falls_through()
    {
        var (_, entry, _) = _kit.NewFile();
        AssetCacheClient client = _kit.Client(false, Item($"{_stalling.BaseUri}/cache/{{sha256}}", ("Access", "readwrite")));
        var clock = Stopwatch.StartNew();

        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), "two tries of 0.4 s each, not the minutes a dead store would otherwise hold the build");
        result.IsHit.ShouldBeFalse();
        result.ToFill.ShouldBeEmpty("a store that failed is not written to after the file is found elsewhere");
        var warning = _kit.Log.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(MessageCodes.AssetCacheLookupFailed);
        warning.Text.ShouldContain("did not answer within 0.4 s");
        File.Exists(_kit.ScratchPath).ShouldBeFalse();
    }

    [Fact]
    public async Task After_a_failed_lookup_the_store_is_not_asked_again_in_this_build()
    {
        var (_, first, _) = _kit.NewFile(name: "a.tar.gz");
        var (_, second, _) = _kit.NewFile(name: "b.tar.gz");
        AssetCacheClient client = _kit.Client(false, Item($"{_stalling.BaseUri}/cache/{{sha256}}"));

        await client.FetchAsync(first, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);
        int connections = _stalling.Connections;
        CacheFetchResult result = await client.FetchAsync(second, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);

        result.IsHit.ShouldBeFalse();
        _stalling.Connections.ShouldBe(connections, "the second file does not wait on the dead store");
        _kit.Log.Warnings.ShouldHaveSingleItem().Text.ShouldContain("not used again in this build");
    }

    [Fact]
    public async Task An_upload_to_a_store_that_stalls_gives_up_at_the_stall_limit_with_a_warning()
    {
        var (path, entry, _) = _kit.NewFile(length: 8 << 20);
        AssetCacheClient client = _kit.Client(false, Item($"{_stalling.BaseUri}/cache/{{sha256}}", ("Access", "readwrite")));
        var clock = Stopwatch.StartNew();

        await client.StoreAsync(entry, path, client.Settings.Caches, _kit.Log, CancellationToken.None);

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), "one try, given up when the store takes nothing for 0.4 s");
        var warning = _kit.Log.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(MessageCodes.AssetCacheUploadFailed);
        warning.Text.ShouldContain("took nothing and answered nothing for 0.4 s");
        _kit.Log.Errors.ShouldBeEmpty();
        _stalling.Connections.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Cancelling_the_build_stops_an_upload_at_once()
    {
        var (path, entry, _) = _kit.NewFile();
        AssetCacheClient client = _kit.Client(false, Item($"{_stalling.BaseUri}/cache/{{sha256}}", ("Access", "readwrite")));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Should.ThrowAsync<OperationCanceledException>(() => client.StoreAsync(entry, path, client.Settings.Caches, _kit.Log, cancellation.Token));
    }

    [Fact]
    public async Task A_full_disk_during_a_lookup_stops_the_build_and_is_not_blamed_on_the_store()
    {
        using var store = new LoopbackHttpServer();
        var (_, entry, content) = _kit.NewFile();
        store.Serve($"/cache/{entry.Sha256}", content);
        string fullDisk = _kit.Folder.Combine("full-disk");
        File.CreateSymbolicLink(fullDisk, "/dev/full"); // every write fails with ENOSPC
        AssetCacheClient client = _kit.Client(false, Item($"{store.BaseUri}/cache/{{sha256}}"));

        var error = await Should.ThrowAsync<BrdlException>(() => client.FetchAsync(entry, fullDisk, [], _kit.Log, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.CannotInstallFile);
        _kit.Log.Warnings.ShouldBeEmpty("the store did nothing wrong");
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task An_upload_waiting_for_its_turn_gets_the_whole_attempt_limit_once_it_starts()
    {
        // One upload at a time. The first goes to a store that never answers, and ends at the
        // overall limit of an attempt; the second, to nginx, waits all that time for its turn,
        // and is large enough that it could not slip through in the moment the first lets go.
        using var dead = new LoopbackHttpServer();
        using var nginx = new NginxWebDavServer();
        using var kit = new CacheTestKit(limits: new TransferLimits(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(3)));
        var (firstPath, first, _) = kit.NewFile(name: "a.tar.gz");
        var (secondPath, second, _) = kit.NewFile(name: "b.tar.gz", length: 64 << 20);
        dead.Misbehave("PUT", $"/cache/{first.Sha256}", LoopbackHttpServer.Fault.NeverAnswer);
        AssetCacheClient client = kit.Client(
            false,
            Item($"{dead.BaseUri}/cache/{{sha256}}", ("Access", "readwrite")),
            Item($"{nginx.BaseUri}/cache/{{sha256}}", ("Access", "readwrite")));
        var run = new AssetCacheRun(client, kit.Limits, kit.Log, parallelism: 1);

        run.StoreInBackground(first, firstPath, [client.Settings.Caches[0]], CancellationToken.None);
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (dead.Requests.Count == 0)
            {
                await Task.Delay(5, patience.Token); // the first holds the one place
            }
        }

        run.StoreInBackground(second, secondPath, [client.Settings.Caches[1]], CancellationToken.None);
        await run.WhenStoredAsync();

        byte[]? stored = nginx.Stored($"cache/{second.Sha256}");
        stored.ShouldNotBeNull("its time ran out while it waited for the first");
        Sha256(stored).ShouldBe(second.Sha256);
        kit.Log.Warnings.ShouldHaveSingleItem().Text.ShouldContain(first.FileName);
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task Air_gapped_a_miss_everywhere_is_one_error_naming_package_file_sha256_and_each_answer()
    {
        using var nginx = new NginxWebDavServer();
        var (_, entry, _) = _kit.NewFile();
        AssetCacheClient client = _kit.Client(true, Item($"{nginx.BaseUri}/cache/{{sha256}}"), Item($"{nginx.BaseUri}/private/{{sha256}}", ("Headers", "Authorization=env:UNSET_TOKEN")));

        var error = await Should.ThrowAsync<BrdlException>(() => client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.AssetCacheOnlyMiss);
        error.Message.ShouldContain("zlib: zlib-1.3.1.tar.gz");
        error.Message.ShouldContain(entry.Sha256!);
        error.Message.ShouldContain("asset cache 1");
        error.Message.ShouldContain("not there");
        error.Message.ShouldContain("UNSET_TOKEN");
        error.Message.ShouldContain("BuildrootAssetCacheOnly");
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task Air_gapped_a_file_without_a_sha256_is_an_error_that_says_how_to_give_one()
    {
        using var nginx = new NginxWebDavServer();
        AssetCacheClient client = _kit.Client(true, Item($"{nginx.BaseUri}/cache/{{sha256}}"));

        var error = await Should.ThrowAsync<BrdlException>(() => client.FetchAsync(new CacheEntry("foo", "foo-1.0.tar.gz", null), _kit.ScratchPath, [], _kit.Log, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.AssetCacheOnlyMiss);
        error.Message.ShouldContain("add a sha256 line to its hash file");
        nginx.AccessLog.ShouldBeEmpty();
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_hit_in_a_later_cache_fills_the_earlier_readwrite_ones_that_missed()
    {
        using var nginx = new NginxWebDavServer();
        var (path, entry, content) = _kit.NewFile();
        nginx.Place($"readonly/{entry.Sha256}", content);
        AssetCacheClient client = _kit.Client(
            false,
            Item($"{nginx.BaseUri}/cache/a/{{sha256}}", ("Access", "readwrite")),
            Item($"{nginx.BaseUri}/readonly/{{sha256}}", ("Access", "read")),
            Item($"{nginx.BaseUri}/cache/c/{{sha256}}", ("Access", "readwrite")));

        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);
        await client.StoreAsync(entry, path, result.ToFill, _kit.Log, CancellationToken.None);

        result.HitIn!.Position.ShouldBe(2);
        result.ToFill.Select(c => c.Position).ShouldBe([1], "cache 3 comes after the hit and was never asked");
        nginx.Stored($"cache/a/{entry.Sha256}").ShouldBe(content);
        nginx.Stored($"cache/c/{entry.Sha256}").ShouldBeNull();
    }

    public void Dispose()
    {
        _kit.Dispose();
        _stalling.Dispose();
    }
}
