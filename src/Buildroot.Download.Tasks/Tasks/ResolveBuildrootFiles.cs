using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = System.Threading.Tasks.Task;

namespace Buildroot.Download.Tasks;

/// <summary>
/// Lists the files every package needs, where they go in the download folder and how to check
/// them, without touching the network: one item per file (full path) with metadata
/// <c>Package</c>, <c>NameInHashFiles</c>, <c>HashFiles</c>, <c>Hash</c>, <c>NoCheck</c>, <c>Transient</c>.
/// They can be fed to <see cref="VerifyHash"/> (which honours <c>Transient</c> as the download does).
/// </summary>
public sealed class ResolveBuildrootFiles : PackageTask
{
    [Output]
    public ITaskItem[] Files { get; private set; } = [];

    internal override Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        if (ReadSettingsAndPackages(log) is not ({ } settings, var packages))
        {
            return Task.CompletedTask;
        }

        var folder = new DownloadFolder(settings.DownloadDirectory, settings.ScratchDirectory);
        Files = packages
            .Where(package => package.Method.Downloads)
            .SelectMany(package => DownloadPlanner.Plan(package, settings).Select(file => ToItem(folder, package, file)))
            .ToArray();
        return Task.CompletedTask;
    }

    private static TaskItem ToItem(DownloadFolder folder, PackageSpec package, PlannedFile file)
    {
        var item = new TaskItem(folder.FinalPath(package, file.FileName));
        item.SetMetadata("Package", package.Name);
        item.SetMetadata("NameInHashFiles", file.FileName);
        item.SetMetadata("HashFiles", string.Join(';', package.HashFiles));
        item.SetMetadata("Hash", file.IsMainSource ? string.Join(';', package.InlineHashes.Select(entry => $"{entry.Algorithm}:{entry.ExpectedHex}")) : string.Empty);
        item.SetMetadata("NoCheck", file.IsMainSource && !package.Method.HashesCanBeChecked ? "true" : "false");
        item.SetMetadata("Transient", package.TransientDownload ? "true" : "false");
        return item;
    }
}
