using System.Security.Cryptography;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Cache;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Cache;

/// <summary>A cache client over real stores, with the environment given by the test (never the process's).</summary>
internal sealed class CacheTestKit : IDisposable
{
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public CacheTestKit(HttpDownloadSettings? settings = null, TransferLimits? limits = null)
    {
        Http = new HttpDownloader(settings ?? new HttpDownloadSettings
        {
            FirstRetryDelay = TimeSpan.FromMilliseconds(10),
            EnvironmentVariable = _ => null,
        });
        Limits = limits ?? new TransferLimits(TimeSpan.FromSeconds(20), TimeSpan.FromHours(1));
    }

    public TransferLimits Limits { get; }

    public TemporaryFolder Folder { get; } = new("cache");

    public RecordingLog Log { get; } = new();

    public HttpDownloader Http { get; }

    /// <summary>Where a lookup streams its copy (a scratch file, as the wrapper's attempts use).</summary>
    public string ScratchPath => Folder.Combine("scratch", "download");

    public void SetEnvironment(string name, string value) => _environment[name] = value;

    public void SetEnvironment(IReadOnlyDictionary<string, string> variables)
    {
        foreach ((string name, string value) in variables)
        {
            _environment[name] = value;
        }
    }

    public AssetCacheClient Client(bool cacheOnly, params AssetCacheItem[] items)
    {
        var settings = AssetCacheDeclaration.Read(items, cacheOnly ? "true" : "false", Log)
            ?? throw new InvalidOperationException($"The test's caches are invalid: {Log.Transcript}");
        Directory.CreateDirectory(Path.GetDirectoryName(ScratchPath)!);
        return new AssetCacheClient(settings, Http, name => _environment.GetValueOrDefault(name), limits: Limits);
    }

    public static AssetCacheItem Item(string spec, params (string Name, string Value)[] metadata) =>
        new(spec, metadata.ToDictionary(m => m.Name, m => m.Value, StringComparer.OrdinalIgnoreCase));

    /// <summary>A file with random content in the test folder, and its cache entry.</summary>
    public (string Path, CacheEntry Entry, byte[] Content) NewFile(string package = "zlib", string name = "zlib-1.3.1.tar.gz", int length = 100_000)
    {
        byte[] content = new byte[length];
        Random.Shared.NextBytes(content);
        string path = Folder.Combine("dl", package, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return (path, new CacheEntry(package, name, Sha256(content)), content);
    }

    public static string Sha256(byte[] content) => Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();

    public void Dispose()
    {
        Http.Dispose();
        Folder.Dispose();
    }
}
