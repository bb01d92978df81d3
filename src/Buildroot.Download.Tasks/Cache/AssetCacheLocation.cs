using System.Collections.Immutable;

namespace Buildroot.Download.Tasks.Cache;

/// <summary>Whether the build may write into a cache.</summary>
internal enum CacheAccess
{
    /// <summary>Looked up only (the default).</summary>
    Read,

    /// <summary>Looked up, and given every file downloaded elsewhere once it passed its hashes.</summary>
    ReadWrite,
}

/// <summary>One <c>BuildrootAssetCache</c> item, validated.</summary>
/// <param name="Position">Its place in item order, from 1 (caches are looked up in that order).</param>
/// <param name="Template">Where entries are.</param>
/// <param name="Access">Read, or read and write.</param>
/// <param name="Headers">Headers from environment variables (http(s) caches only).</param>
/// <param name="QueryVariable">An environment variable whose value is the URL's query (an Azure SAS token), or null.</param>
internal sealed record AssetCacheLocation(
    int Position,
    CacheUrlTemplate Template,
    CacheAccess Access,
    ImmutableArray<CacheHeader> Headers,
    string? QueryVariable)
{
    public bool CanWrite => Access == CacheAccess.ReadWrite;

    /// <summary>"asset cache 2 (s3://bucket/{sha256})": how messages name it; holds no secret.</summary>
    public string Name => $"asset cache {Position} ({Template.Text})";
}

/// <summary>
/// The build's caches (<c>BuildrootAssetCache</c> items, in order) and the air-gapped switch
/// (<c>BuildrootAssetCacheOnly</c>): immutable once read.
/// </summary>
internal sealed record AssetCacheSettings(ImmutableArray<AssetCacheLocation> Caches, bool CacheOnly)
{
    public static AssetCacheSettings None { get; } = new([], CacheOnly: false);

    public bool IsEmpty => Caches.IsEmpty;
}
