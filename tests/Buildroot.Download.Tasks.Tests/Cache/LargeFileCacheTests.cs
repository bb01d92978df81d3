using Buildroot.Download.Tasks.Cache;
using Buildroot.Download.Tasks.TestUtilities;
using static Buildroot.Download.Tasks.Tests.Cache.CacheTestKit;

namespace Buildroot.Download.Tasks.Tests.Cache;

/// <summary>Run alone: the allocation figures below would count other tests' allocations too.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationSensitiveCollection
{
    public const string Name = "Allocation-sensitive tests";
}

/// <summary>A large file goes to and from a real store streamed, never whole in memory.</summary>
[Collection(AllocationSensitiveCollection.Name)]
public sealed class LargeFileCacheTests : IDisposable
{
    private const int Size = 64 << 20;

    private readonly NginxWebDavServer _nginx = new();
    private readonly CacheTestKit _kit = new();

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_64_MiB_file_is_stored_and_fetched_with_a_small_fraction_of_its_size_allocated()
    {
        var (path, entry, content) = _kit.NewFile(length: Size);
        AssetCacheClient client = _kit.Client(false, Item($"{_nginx.BaseUri}/cache/{{sha256}}", ("Access", "readwrite")));

        long before = GC.GetTotalAllocatedBytes(precise: true);
        await client.StoreAsync(entry, path, client.Settings.Caches, _kit.Log, CancellationToken.None);
        long afterStore = GC.GetTotalAllocatedBytes(precise: true);
        CacheFetchResult result = await client.FetchAsync(entry, _kit.ScratchPath, [], _kit.Log, CancellationToken.None);
        long afterFetch = GC.GetTotalAllocatedBytes(precise: true);

        _kit.Log.Warnings.ShouldBeEmpty(_kit.Log.Transcript);
        _nginx.Stored($"cache/{entry.Sha256}").AsSpan().SequenceEqual(content).ShouldBeTrue();
        result.IsHit.ShouldBeTrue();
        (afterStore - before).ShouldBeLessThan(Size / 8, "the upload reads the file block by block");
        (afterFetch - afterStore).ShouldBeLessThan(Size / 8, "the lookup streams to disk, hashing on the way");
    }

    public void Dispose()
    {
        _kit.Dispose();
        _nginx.Dispose();
    }
}
