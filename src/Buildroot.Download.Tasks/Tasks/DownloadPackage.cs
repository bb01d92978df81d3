using System.Collections.Immutable;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Cache;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Buildroot.Download.Tasks.Settings;
using Buildroot.Download.Tasks.Vendoring;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = System.Threading.Tasks.Task;

namespace Buildroot.Download.Tasks;

/// <summary>
/// Downloads every package into the download folder (Buildroot's <c>make source</c>):
/// existing good files are kept without network access, missing ones are fetched from the
/// primary site, the package's site and the backup site in turn, checked, and renamed into
/// place. Returns one <c>BuildrootDownloadedFile</c> item per file.
/// </summary>
public sealed class DownloadPackage : PackageTask
{
    // Two projects of one build may run this task at once on two threads of one node.
    private static readonly object RegistrationGate = new();

    /// <summary>
    /// <c>BuildrootDownloadOnBuild</c>: the target that runs before the build already skips the
    /// download for false/NO, so the value is only checked here, that a mistyped one is an error
    /// rather than a download silently left on (like every other setting, whichever target runs).
    /// </summary>
    public string? DownloadOnBuild { get; set; }

    /// <summary>Full paths, with metadata <c>Package</c>, <c>Transient</c> and <c>Verified</c>.</summary>
    [Output]
    public ITaskItem[] DownloadedFiles { get; private set; } = [];

    internal override async Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        // Settings first, then packages: each reports every problem it finds before the task stops.
        DownloadSettings? settings = ReadSettings(log);
        var onBuild = new SettingsCollector(log);
        onBuild.Read(() => SettingValidators.Boolean("BuildrootDownloadOnBuild", DownloadOnBuild, whenEmpty: true), false);
        AssetCacheSettings? caches = ReadAssetCaches(log);
        if (ReadPackages(log) is not { } packages || settings is null || caches is null || onBuild.Failed)
        {
            return;
        }

        var services = new DownloadServices(
            PostProcessCatalog.Get,
            new ProcessRunner(log),
            log,
            TransientDownloadsOfThisBuild(),
            AssetCacheRun.For(caches, settings.Limits, log, settings.Parallelism));
        ImmutableArray<DownloadedFile> files = await new DownloadRun(settings, services)
            .DownloadAllAsync(packages.Where(package => package.Method.Downloads).ToArray(), cancellationToken)
            .ConfigureAwait(false);

        DownloadedFiles = files.Select(ToItem).ToArray();
    }

    private static TaskItem ToItem(DownloadedFile file)
    {
        var item = new TaskItem(file.Path);
        item.SetMetadata("Package", file.Package);
        item.SetMetadata("Transient", file.Transient ? "true" : "false");
        item.SetMetadata("Verified", file.Verified ? "true" : "false");
        return item;
    }

    private TransientDownloads TransientDownloadsOfThisBuild()
    {
        const string key = "Buildroot.Download.Tasks.TransientDownloads";
        if (BuildEngine is not IBuildEngine4 engine)
        {
            return new TransientDownloads();
        }

        lock (RegistrationGate)
        {
            if (engine.GetRegisteredTaskObject(key, RegisteredTaskObjectLifetime.Build) is TransientDownloads existing)
            {
                return existing;
            }

            var created = new TransientDownloads();
            engine.RegisterTaskObject(key, created, RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
            return created;
        }
    }
}
