using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Buildroot.Download.Tasks.Release;
using Microsoft.Build.Framework;
using Task = System.Threading.Tasks.Task;

namespace Buildroot.Download.Tasks;

/// <summary>
/// Buildroot's <c>make legal-info</c>: writes <see cref="OutputDirectory"/> (manifests, sources,
/// license files, README, <c>legal-info.sha256</c>; see <see cref="LegalInfoWriter"/>) from the
/// files in the download folder, which the target downloads first. Written whole or not at all:
/// any error leaves the previous folder as it was.
/// </summary>
public sealed class WriteBuildrootLegalInfo : PackageTask
{
    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary>Named in the README.</summary>
    [Required]
    public string ProjectName { get; set; } = string.Empty;

    internal override async Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        if (ReadSettingsAndPackages(log) is not ({ } settings, var packages))
        {
            return;
        }

        var downloads = new DownloadFolder(settings.DownloadDirectory, settings.ScratchDirectory);
        // In this build's scratch space, so that a killed build's leftovers are reclaimed by the next one.
        using var space = ScratchSpace.Open(settings.ScratchDirectory, log);
        string scratch = space.CreateFolder("legal-info");
        using var folder = new LegalInfoFolder(OutputDirectory);
        try
        {
            var writer = new LegalInfoWriter(folder.Staging, downloads, new LicenseFileReader(new ProcessRunner(log), scratch), log);
            bool failed = false;
            foreach (PackageSpec package in packages)
            {
                try
                {
                    await writer.AddAsync(package, cancellationToken).ConfigureAwait(false);
                }
                catch (BrdlException e)
                {
                    log.Error(e.Code, e.Message, e.Location ?? package.Location);
                    failed = true;
                }
            }

            if (failed)
            {
                log.Message($"The legal-info folder {folder.FinalPath} was not written (see the errors above); it is as it was.");
                return;
            }

            await writer.FinishAsync(ProjectName, cancellationToken).ConfigureAwait(false);
            await folder.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Build, MessageCodes.ReleaseOutputNotWritten, $"Cannot write the legal-info folder {folder.FinalPath}: {e.Message}", e);
        }
        log.Message($"Legal info produced in {folder.FinalPath}");
    }
}
