using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Task = System.Threading.Tasks.Task;

namespace Buildroot.Download.Tasks;

/// <summary>
/// <c>BuildrootVerify</c>: checks every file of every package in the download folder against its
/// hashes, without network and without trusting the stamps the download leaves, judged by the
/// same rules as the download (<see cref="PackageHashChecks"/>, <see cref="HashPolicy"/>), so the
/// two never disagree: a transient package's files are not checked by either.
/// </summary>
public sealed class VerifyBuildrootDownloads : PackageTask
{
    internal override async Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        if (ReadSettingsAndPackages(log) is not ({ } settings, var packages))
        {
            return;
        }

        var folder = new DownloadFolder(settings.DownloadDirectory, settings.ScratchDirectory);
        var files = new List<FileToVerify>();
        foreach (PackageSpec package in packages.Where(package => package.Method.Downloads))
        {
            HashFileSet hashFiles;
            try
            {
                hashFiles = HashFileSet.Read(package.HashFiles);
            }
            catch (BrdlException e)
            {
                log.Error(e.Code, $"{package.Name}: {e.Message}", e.Location ?? package.Location);
                continue;
            }

            files.AddRange(DownloadPlanner.Plan(package, settings).Select(file => new FileToVerify(
                folder.FinalPath(package, file.FileName),
                PackageHashChecks.Subject(package, file, hashFiles, settings),
                package.Name) { Declared = package.Location }));
        }

        await FileVerification.VerifyAsync(files, file => file, log, cancellationToken).ConfigureAwait(false);
    }
}
