using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Settings;

namespace Buildroot.Download.Tasks.Cache;

/// <summary>One <c>BuildrootAssetCache</c> item as MSBuild gives it: the URL template and its metadata.</summary>
internal sealed record AssetCacheItem(string ItemSpec, IReadOnlyDictionary<string, string> Metadata)
{
    public string? this[string name] => Metadata.TryGetValue(name, out string? value) ? value : null;
}

/// <summary>
/// Reads the <c>BuildrootAssetCache</c> items and <c>BuildrootAssetCacheOnly</c> into
/// <see cref="AssetCacheSettings"/>:
/// <code>
/// &lt;BuildrootAssetCache Include="https://cache.example.com/buildroot/{sha256}" Access="readwrite"
///                      Headers="Authorization=env:ASSET_CACHE_TOKEN" /&gt;
/// &lt;BuildrootAssetCache Include="https://acct.blob.core.windows.net/buildroot/{sha256}" Query="env:ASSET_CACHE_SAS" /&gt;
/// &lt;BuildrootAssetCache Include="s3://build-assets/buildroot/{sha256}" Access="read" /&gt;
/// </code>
/// Only names of environment variables appear here; their values are read when a request is made.
/// </summary>
internal static class AssetCacheDeclaration
{
    public const string AccessMetadata = "Access";
    public const string HeadersMetadata = "Headers";
    public const string QueryMetadata = "Query";

    /// <summary>
    /// The settings, or null when anything is invalid: every problem is reported (so the user sees
    /// them all at once) as an error with its code, and nothing is downloaded.
    /// </summary>
    public static AssetCacheSettings? Read(IReadOnlyList<AssetCacheItem> items, string? cacheOnly, IBuildLog log)
    {
        var caches = ImmutableArray.CreateBuilder<AssetCacheLocation>(items.Count);
        bool failed = false;
        foreach (AssetCacheItem item in items)
        {
            try
            {
                caches.Add(Parse(item, caches.Count + 1));
            }
            catch (BrdlException e)
            {
                log.Error(e.Code, e.Message);
                failed = true;
            }
        }

        bool only;
        try
        {
            only = SettingValidators.Boolean("BuildrootAssetCacheOnly", cacheOnly, whenEmpty: false);
        }
        catch (BrdlException e)
        {
            log.Error(e.Code, e.Message);
            return null;
        }

        if (only && items.Count == 0)
        {
            log.Error(
                MessageCodes.AssetCacheOnlyWithoutCache,
                "BuildrootAssetCacheOnly is true, but no BuildrootAssetCache item is declared: nothing could be downloaded. Declare the cache to build from, or set BuildrootAssetCacheOnly to false.");
            return null;
        }

        return failed ? null : new AssetCacheSettings(caches.ToImmutable(), only);
    }

    /// <summary>One item; throws <see cref="BrdlException"/> (<see cref="MessageCodes.InvalidAssetCache"/>) saying what is wrong.</summary>
    public static AssetCacheLocation Parse(AssetCacheItem item, int position)
    {
        CacheUrlTemplate template = CacheUrlTemplate.Parse(item.ItemSpec);
        CacheAccess access = ParseAccess(item[AccessMetadata], template.Text);
        string? headers = item[HeadersMetadata];
        string? query = item[QueryMetadata];
        if (template.IsS3 && (!string.IsNullOrWhiteSpace(headers) || !string.IsNullOrWhiteSpace(query)))
        {
            throw CacheUrlTemplate.Invalid(
                template.Text,
                "is an s3:// cache with Headers or Query: s3:// requests are signed with the AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) environment variables; remove Headers and Query");
        }

        return new AssetCacheLocation(
            position,
            template,
            access,
            CacheHeader.ParseList(headers, template.Text),
            string.IsNullOrWhiteSpace(query) ? null : CacheHeader.ParseVariable(query.Trim(), template.Text, "its Query"));
    }

    private static CacheAccess ParseAccess(string? value, string cache) =>
        (value ?? string.Empty).Trim().ToLowerInvariant() switch
        {
            "" or "read" => CacheAccess.Read,
            "readwrite" => CacheAccess.ReadWrite,
            _ => throw CacheUrlTemplate.Invalid(cache, $"has Access=\"{value}\"; use read or readwrite"),
        };
}
