using System.Collections.Immutable;
using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Download;

/// <summary>
/// The download step of one package: under the package lock (the same <c>.lock</c> file
/// Buildroot's wrapper flocks), removes what killed builds left in the package's folder, prints
/// "Downloading" when something is to be fetched (a transient package is, once per build), then
/// fetches its files one after the other.
/// </summary>
internal sealed class PackageDownloader
{
    private readonly DownloadSettings _settings;
    private readonly DownloadFolder _folder;
    private readonly DownloadServices _services;
    private readonly DownloadWrapper _wrapper;

    public PackageDownloader(DownloadSettings settings, DownloadServices services, ScratchSpace scratch)
    {
        _settings = settings;
        _services = services;
        _folder = new DownloadFolder(settings.DownloadDirectory, settings.ScratchDirectory, scratch);
        _wrapper = new DownloadWrapper(settings, _folder, services);
    }

    /// <summary>
    /// The path of a build with nothing to download: the package's files when their stamps vouch
    /// for every one; null when anything is to be done (or told) under the lock, by
    /// <see cref="DownloadAsync"/>. A file only ever appears under its final name by an atomic
    /// rename, and its stamp is written after it, so such stamps need neither the lock nor the
    /// network (nor, mostly, the hash files).
    /// </summary>
    public ImmutableArray<DownloadedFile>? KeptByTheirStamps(PackageSpec package)
    {
        try
        {
            return _wrapper.KeptByTheirStamps(package, DownloadPlanner.Plan(package, _settings));
        }
        catch (BrdlException)
        {
            return null; // a hash file that cannot be read: DownloadAsync reports it
        }
    }

    /// <summary>Every file of the package, under its lock: each kept when good, else downloaded.</summary>
    public async Task<ImmutableArray<DownloadedFile>> DownloadAsync(PackageSpec package, CancellationToken cancellationToken)
    {
        ImmutableArray<PlannedFile> files = DownloadPlanner.Plan(package, _settings);
        HashFileSet? hashFiles = null;

        using (await CrossProcessLock.AcquireAsync(_folder.LockPath(package), $"downloading {package.Name}", _services.Log, cancellationToken).ConfigureAwait(false))
        {
            _folder.ReclaimLeftovers(package, _services.Log);
            if (files.Any(file => _wrapper.WillFetch(package, file)))
            {
                _services.Log.Message($">>> {package.Name} {package.Version} Downloading");
            }

            var downloaded = ImmutableArray.CreateBuilder<DownloadedFile>(files.Length);
            foreach (PlannedFile file in files)
            {
                downloaded.Add(await _wrapper.DownloadAsync(package, file, hashFiles ??= HashFileSet.Read(package.HashFiles), cancellationToken).ConfigureAwait(false));
            }

            return downloaded.MoveToImmutable();
        }
    }
}
