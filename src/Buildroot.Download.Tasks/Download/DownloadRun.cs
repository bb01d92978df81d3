using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Download;

/// <summary>
/// Downloads many packages, several at once (up to <see cref="DownloadSettings.Parallelism"/>).
/// A package that fails is reported and the others go on, so one build shows every problem;
/// the run as a whole then fails.
/// </summary>
internal sealed class DownloadRun
{
    private readonly DownloadSettings _settings;
    private readonly DownloadServices _services;

    public DownloadRun(DownloadSettings settings, DownloadServices services)
    {
        _settings = settings;
        _services = services;
    }

    /// <returns>The files of the packages that succeeded, in the order the packages were given.</returns>
    public async Task<ImmutableArray<DownloadedFile>> DownloadAllAsync(IReadOnlyList<PackageSpec> packages, CancellationToken cancellationToken)
    {
        WarnAboutTransientPackages(packages);
        using var scratch = ScratchSpace.Open(_settings.ScratchDirectory, _services.Log);
        var downloader = new PackageDownloader(_settings, _services, scratch);
        // One slot a package, each written by the one worker that downloads it: no locking.
        var results = new ImmutableArray<DownloadedFile>[packages.Count];

        // A failure of the whole build (a missing tool, a download folder that cannot be written)
        // stops the packages still running: each would only fail the same way.
        using var buildFailed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _settings.Parallelism), CancellationToken = buildFailed.Token };

        // Packages whose stamps vouch for every file are settled first, on plain threads: a build
        // with nothing to download then runs none of the download machinery (with 1,000 packages,
        // compiling and running it was a third of such a build's time).
        Parallel.For(0, packages.Count, options, index => results[index] = downloader.KeptByTheirStamps(packages[index]) ?? default);
        List<int> toDownload = IndicesOfUnsettled(results);
        if (toDownload.Count == 0)
        {
            return FilesOf(results);
        }

        try
        {
            await Parallel.ForEachAsync(
                toDownload.Select(index => (package: packages[index], index)),
                options,
                async (item, token) =>
                {
                    try
                    {
                        results[item.index] = await downloader.DownloadAsync(item.package, token).ConfigureAwait(false);
                    }
                    catch (BrdlException e)
                    {
                        _services.Log.Error(e.Code, e.Message, e.Location ?? item.package.Location);
                        if (e.Scope == FailureScope.Build)
                        {
                            await buildFailed.CancelAsync().ConfigureAwait(false);
                        }
                    }
                    catch (OperationCanceledException) when (buildFailed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        // Stopped because another package failed the build; that error is the news.
                    }
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The packages not yet started were skipped after a build failure, reported above.
        }
        finally
        {
            // Uploads to the asset caches run in the background; the task must not end before them.
            if (_services.Caches is { } caches)
            {
                await caches.WhenStoredAsync().ConfigureAwait(false);
            }
        }

        return FilesOf(results);
    }

    private static List<int> IndicesOfUnsettled(ImmutableArray<DownloadedFile>[] results)
    {
        var indices = new List<int>();
        for (int index = 0; index < results.Length; index++)
        {
            if (results[index].IsDefault)
            {
                indices.Add(index);
            }
        }

        return indices;
    }

    /// <summary>The files of the packages that succeeded, in order (plain loops: a no-op build with 1,000 packages runs this too).</summary>
    private static ImmutableArray<DownloadedFile> FilesOf(ImmutableArray<DownloadedFile>[] results)
    {
        var files = ImmutableArray.CreateBuilder<DownloadedFile>(results.Length);
        foreach (ImmutableArray<DownloadedFile> package in results)
        {
            if (!package.IsDefault)
            {
                files.AddRange(package);
            }
        }

        return files.ToImmutable();
    }

    private void WarnAboutTransientPackages(IReadOnlyList<PackageSpec> packages)
    {
        string[] transient = packages.Where(p => p.TransientDownload).Select(p => p.Name).ToArray();
        if (transient.Length == 0 || !_services.Transients.ShouldWarn())
        {
            return;
        }

        string names = string.Join(", ", transient);
        _services.Log.Warning(
            MessageCodes.TransientNotReproducible,
            _settings.Offline
                ? $"Transient download of {names}: offline, so the copies already in the download folder are used, as they are and unchecked; this build is not reproducible."
                : $"Transient download of {names}: fetched again at every build and not checked against hashes, so this build is not reproducible. " +
                  "Two builds at once may each get the other's download, a push during the build may be picked up, and legal information is not reliable.");
    }
}
