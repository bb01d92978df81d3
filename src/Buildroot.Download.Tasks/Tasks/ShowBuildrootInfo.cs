using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Cache;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Microsoft.Build.Framework;
using Task = System.Threading.Tasks.Task;

namespace Buildroot.Download.Tasks;

/// <summary>
/// Buildroot's <c>make show-info</c>: writes a JSON description of every package to
/// <see cref="OutputFile"/> and prints its path. Needs no network. <see cref="Format"/> chooses
/// the document: ours (name, version, method, files with the URIs that would be tried, hash
/// files, transient), or <c>buildroot</c>, Buildroot's own, which its tools read.
/// </summary>
public sealed class ShowBuildrootInfo : PackageTask
{
    /// <summary>The value of <see cref="Format"/> that writes Buildroot's own show-info JSON.</summary>
    public const string BuildrootFormat = "buildroot";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static readonly JsonSerializerOptions BuildrootJsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Required]
    public string OutputFile { get; set; } = string.Empty;

    /// <summary><c>BuildrootShowInfoFormat</c>: empty for ours, <c>buildroot</c> for Buildroot's.</summary>
    public string? Format { get; set; }

    internal override async Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        string format = Format?.Trim() ?? string.Empty;
        if (format.Length > 0 && !format.Equals(BuildrootFormat, StringComparison.OrdinalIgnoreCase))
        {
            throw new BrdlException(FailureScope.Build, MessageCodes.InvalidSetting, $"BuildrootShowInfoFormat '{QuotedText.Cut(format)}' is not a show-info format: leave it empty for this package's own, or set it to '{BuildrootFormat}' for Buildroot's.");
        }

        // Settings first, then packages: each reports every problem it finds before the task stops.
        DownloadSettings? settings = ReadSettings(log);
        AssetCacheSettings? caches = ReadAssetCaches(log);
        if (ReadPackages(log) is not { } packages || settings is null || caches is null)
        {
            return;
        }

        string json = format.Length > 0
            ? BuildrootShowInfo.Describe(packages, Contexts(), settings).ToJsonString(BuildrootJsonOptions)
            : Ours(packages, settings, new AssetCacheClient(caches, HttpDownloader.Shared, Environment.GetEnvironmentVariable), log);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(OutputFile))!);
        await File.WriteAllTextAsync(OutputFile, SecretRedactor.Redact(json), cancellationToken).ConfigureAwait(false);
        log.Message($"Buildroot package information: {Path.GetFullPath(OutputFile)}");
    }

    private static string Ours(IReadOnlyList<PackageSpec> packages, DownloadSettings settings, AssetCacheClient caches, IBuildLog log)
    {
        var folder = new DownloadFolder(settings.DownloadDirectory, settings.ScratchDirectory);
        var document = new
        {
            DownloadDirectory = folder.Root,
            AssetCacheOnly = caches.Settings.CacheOnly,
            Packages = packages.Select(package => Describe(package, settings, folder, caches, log)).ToArray(),
        };
        return JsonSerializer.Serialize(document, JsonOptions);
    }

    /// <summary>What the items say beyond the spec: the manifest's folder and the dependencies (from ReadBuildrootManifests).</summary>
    private Dictionary<string, ShowInfoContext> Contexts()
    {
        var contexts = new Dictionary<string, ShowInfoContext>(StringComparer.Ordinal);
        foreach (ITaskItem item in Packages)
        {
            string manifest = item.GetMetadata("DefiningManifest");
            contexts[item.ItemSpec] = new ShowInfoContext(
                manifest.Length > 0 ? Path.GetDirectoryName(manifest) : null,
                MetadataValues.SplitList(item.GetMetadata("Dependencies")));
        }

        return contexts;
    }

    private static object Describe(PackageSpec package, DownloadSettings settings, DownloadFolder folder, AssetCacheClient caches, IBuildLog log) => new
    {
        package.Name,
        package.Version,
        Method = package.SiteMethod,
        package.Site,
        package.DlSubdir,
        Transient = package.TransientDownload,
        HashFiles = package.HashFiles.Where(File.Exists).ToArray(),
        package.DownloadPostProcess,
        package.License,
        package.LicenseFiles,
        package.Redistribute,
        Files = !package.Method.Downloads
            ? []
            : DownloadPlanner.Plan(package, settings).Select(file => new
            {
                Name = file.FileName,
                Path = folder.FinalPath(package, file.FileName),
                Uris = file.Uris.Select(uri => new { Method = uri.Method.Name, uri.Uri }).ToArray(),
                Caches = CachesOf(package, file, caches, log),
            }).ToArray(),
    };

    /// <summary>Where the download would look <paramref name="file"/> up first, in order (none without a known sha256).</summary>
    private static IReadOnlyList<CacheUrlInfo> CachesOf(PackageSpec package, PlannedFile file, AssetCacheClient caches, IBuildLog log)
    {
        if (caches.Settings.IsEmpty)
        {
            return [];
        }

        try
        {
            HashExpectations expected = HashFileSet.Read(package.HashFiles).ExpectationsFor(file.FileName, file.IsMainSource ? package.InlineHashes : []);
            return caches.Describe(AssetCacheStep.EntryOf(package, file, expected));
        }
        catch (BrdlException e)
        {
            // Show-info needs no valid hash file; the download will report it.
            log.Detail($"{package.Name}/{file.FileName}: no asset cache is listed, as its hashes cannot be read: {e.Message}");
            return [];
        }
    }
}
