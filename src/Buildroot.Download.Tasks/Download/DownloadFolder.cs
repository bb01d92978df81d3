using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Download;

/// <summary>
/// The layout of the shared download folder, as Buildroot lays it out, and the only code
/// that writes final files into it:
/// <c>&lt;dl dir&gt;/&lt;dl subdir&gt;/&lt;file&gt;</c>, the package lock <c>&lt;dl dir&gt;/&lt;dl subdir&gt;/.lock</c>,
/// the old flat layout <c>&lt;dl dir&gt;/&lt;file&gt;</c>, and our verified stamps.
/// A file appears under its final name only by an atomic rename of a complete, checked copy.
/// </summary>
internal sealed class DownloadFolder
{
    private readonly string _root;
    private readonly string _scratchRoot;
    private readonly ScratchSpace? _scratch;

    /// <param name="root">The download folder.</param>
    /// <param name="scratchRoot">Where scratch folders are made: never inside the download folder.</param>
    /// <param name="scratch">This build's share of <paramref name="scratchRoot"/>, to download with; null to only read the layout.</param>
    public DownloadFolder(string root, string scratchRoot, ScratchSpace? scratch = null)
    {
        _root = Path.GetFullPath(root);
        _scratchRoot = Path.GetFullPath(scratchRoot);
        _scratch = scratch;
        if (IsInside(_scratchRoot, _root))
        {
            throw new BrdlException(
                FailureScope.Build,
                MessageCodes.InvalidSetting,
                $"The scratch folder {_scratchRoot} is inside the download folder {_root}; it must be elsewhere (e.g. the project's obj folder), so that no partial file ever sits in the download folder.");
        }
    }

    public string Root => _root;

    public string PackageFolder(PackageSpec package) => Path.Combine(_root, package.DlSubdir);

    public string FinalPath(PackageSpec package, string fileName) => Path.Combine(PackageFolder(package), fileName);

    /// <summary>Where files lived before Buildroot gave each package its own folder.</summary>
    public string OldLayoutPath(string fileName) => Path.Combine(_root, fileName);

    /// <summary>The lock Buildroot's dl-wrapper takes with <c>flock</c>: sharing it makes both exclude each other.</summary>
    public string LockPath(PackageSpec package) => Path.Combine(PackageFolder(package), ".lock");

    public string StampPath(PackageSpec package, string fileName) => Path.Combine(StampFolder(package), fileName);

    /// <summary>
    /// When a file exists only in the old flat layout, hard-link it (or, failing that, copy it)
    /// to its new place, as Buildroot does. It is then checked like any other existing file.
    /// </summary>
    public void AdoptOldLayoutFile(PackageSpec package, string fileName, IBuildLog log)
    {
        string finalPath = FinalPath(package, fileName);
        string oldPath = OldLayoutPath(fileName);
        if (File.Exists(finalPath) || !File.Exists(oldPath))
        {
            return;
        }

        string temporary = TemporaryFiles.NameFor(finalPath);
        try
        {
            Directory.CreateDirectory(PackageFolder(package));
            if (!HardLink.TryCreate(oldPath, temporary))
            {
                File.Copy(oldPath, temporary);
            }

            File.Move(temporary, finalPath, overwrite: true);
            log.Detail($"Moved {oldPath} to the per-package layout: {finalPath}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(finalPath, e);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A fresh, empty scratch folder for one attempt, in this build's scratch space; the caller deletes it.</summary>
    public string CreateScratchFolder(PackageSpec package) =>
        (_scratch ?? throw new InvalidOperationException("This DownloadFolder was made without a scratch space.")).CreateFolder(package.DlSubdir);

    /// <summary>
    /// Removes what killed builds left in the package's folder: temporary copies that never got
    /// their final name, and stamps half-written. Call it with the package lock held (the lock
    /// proves that their writers are gone).
    /// </summary>
    public void ReclaimLeftovers(PackageSpec package, IBuildLog log)
    {
        string folder = PackageFolder(package);
        long bytes = TemporaryFiles.Reclaim(folder) + TemporaryFiles.Reclaim(StampFolder(package));
        if (bytes > 0)
        {
            log.Detail($"{package.Name}: removed {bytes} bytes of temporary files in {folder}, left by a build that was stopped.");
        }
    }

    /// <summary>
    /// Moves a complete, checked scratch file to a temporary name in the package's folder, makes
    /// it durable, sets its mode (0644, or 0755 for an executable, less the umask), and renames
    /// it over the final name: readers see the old file or the new one, never a partial one.
    /// Where scratch and download folder share a file system the move is a rename and the data
    /// is never read again; elsewhere (EXDEV) it is copied. The scratch file is gone afterwards.
    /// </summary>
    public async Task InstallAsync(string scratchFile, string finalPath, bool executable, CancellationToken cancellationToken)
    {
        string temporary = TemporaryFiles.NameFor(finalPath);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
            cancellationToken.ThrowIfCancellationRequested();

            // .NET's move is rename(2), and a copy then delete where rename says EXDEV.
            await Task.Run(() => File.Move(scratchFile, temporary), cancellationToken).ConfigureAwait(false);

            // fsync writes out what is still dirty of the download (the downloader starts that
            // write-back while it receives): a crash after the rename below cannot leave an
            // empty or partial file under the final name.
            await Task.Run(() => FlushToDisk(temporary), cancellationToken).ConfigureAwait(false);
            FileModes.SetDownloadedFileMode(temporary, executable);
            File.Move(temporary, finalPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(finalPath, e);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Removes a final file that failed its hashes, and its stamp.</summary>
    public void Discard(PackageSpec package, string fileName)
    {
        try
        {
            File.Delete(FinalPath(package, fileName));
            string stamp = StampPath(package, fileName);
            if (File.Exists(stamp))
            {
                File.Delete(stamp);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(FinalPath(package, fileName), e);
        }
    }

    /// <summary>The download folder cannot be written: no site and no other package can do better.</summary>
    private static BrdlException CannotWrite(string path, Exception cause) =>
        new(FailureScope.Build, MessageCodes.CannotInstallFile, $"Cannot write {path}: {cause.Message} The download folder must be writable by the build.", cause);

    private static void FlushToDisk(string path)
    {
        // Write access for fsync; FileShare.ReadWrite, so no flock is taken on it.
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
        file.Flush(flushToDisk: true);
    }

    private string StampFolder(PackageSpec package) => Path.Combine(PackageFolder(package), ".brdl-verified");

    private static bool IsInside(string path, string folder)
    {
        string relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
