using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Cache;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Buildroot.Download.Tasks.Release;
using Buildroot.Download.Tasks.Vendoring;
using Microsoft.Build.Framework;
using Task = System.Threading.Tasks.Task;

namespace Buildroot.Download.Tasks;

/// <summary>
/// Buildroot's <c>utils/add-custom-hashes</c>: for every package whose hash files do not list a
/// file it downloads, downloads it and adds its sha256 to the package's first hash file (see
/// <see cref="HashFileUpdater"/>). A package that fails is reported and the others go on.
/// </summary>
public sealed class UpdateBuildrootHashes : PackageTask
{
    internal override async Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        // Settings first, then packages: each reports every problem it finds before the task stops.
        DownloadSettings? settings = ReadSettings(log);
        AssetCacheSettings? caches = ReadAssetCaches(log);
        if (ReadPackages(log) is not { } packages || settings is null || caches is null)
        {
            return;
        }

        // The files a package lists already may come from the asset caches (and, air-gapped, only from there).
        AssetCacheRun? cacheRun = AssetCacheRun.For(caches, settings.Limits, log, settings.Parallelism);
        var services = new DownloadServices(PostProcessCatalog.Get, new ProcessRunner(log), log, new TransientDownloads(), cacheRun);
        using var scratch = ScratchSpace.Open(settings.ScratchDirectory, log);
        var updater = new HashFileUpdater(settings, services, scratch);
        Dictionary<string, string> manifestHashFiles = ManifestHashFiles();
        int added = 0;
        try
        {
            foreach (PackageSpec package in packages.Where(package => package.Method.Downloads))
            {
                try
                {
                    added += (await updater.UpdateAsync(package, manifestHashFiles.GetValueOrDefault(package.Name), cancellationToken).ConfigureAwait(false)).Length;
                }
                catch (BrdlException e)
                {
                    log.Error(e.Code, e.Message, e.Location ?? package.Location);
                }
            }
        }
        finally
        {
            if (cacheRun is not null)
            {
                await cacheRun.WhenStoredAsync().ConfigureAwait(false);
            }
        }

        log.Message(added == 0 ? "BuildrootUpdateHashes: every downloaded file is already in its hash files." : $"BuildrootUpdateHashes: {added} hash line{(added == 1 ? string.Empty : "s")} added.");
    }

    /// <summary>
    /// <c>&lt;manifest folder&gt;/&lt;name&gt;.hash</c> by package name, for each package read from a
    /// manifest (its <c>DefiningManifest</c>): read once, not by a scan of every item per package.
    /// </summary>
    private Dictionary<string, string> ManifestHashFiles()
    {
        var hashFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ITaskItem item in Packages)
        {
            if (item.GetMetadata("DefiningManifest") is { Length: > 0 } manifest)
            {
                hashFiles.TryAdd(item.ItemSpec, Path.Combine(Path.GetDirectoryName(manifest)!, $"{PackageSpec.RawNameOf(item.ItemSpec)}.hash"));
            }
        }

        return hashFiles;
    }
}
