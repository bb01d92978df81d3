namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// One build's share of a scratch root (the project's <c>obj/buildroot-scratch</c>, say), which
/// may be shared with other builds: a folder <c>brdl-&lt;id&gt;/</c> for this build's attempts, and
/// beside it <c>brdl-&lt;id&gt;.lock</c>, on which the build holds an exclusive <c>flock</c> while it
/// runs. The kernel drops that lock when the build ends, however it ends: a lock anyone can take
/// proves its build is dead, and what it left is reclaimed by the next build that opens the root.
/// </summary>
/// <remarks>
/// The lock file is made before the folder and removed after it, so a <c>brdl-&lt;id&gt;</c> folder
/// without its lock file is dead too (a build killed while reclaiming it). The build's own folder
/// is made on first use and removed when the space is disposed; each attempt's folder inside it
/// is removed by the attempt.
/// </remarks>
internal sealed class ScratchSpace : IDisposable
{
    private const string Prefix = "brdl-";
    private const string LockSuffix = ".lock";

    private readonly string _root;
    private readonly object _gate = new();
    private FileStream? _ownerLock;
    private string? _folder;
    private int _created;

    private ScratchSpace(string root)
    {
        _root = Path.GetFullPath(root);
    }

    /// <summary>Opens <paramref name="root"/> for this build, first reclaiming what dead builds left there.</summary>
    public static ScratchSpace Open(string root, IBuildLog log)
    {
        var space = new ScratchSpace(root);
        space.ReclaimDeadBuilds(log);
        return space;
    }

    /// <summary>A fresh, empty folder for one attempt, named after <paramref name="name"/>; the caller deletes it.</summary>
    public string CreateFolder(string name)
    {
        string folder = Path.Combine(OwnFolder(), $"{name}-{Interlocked.Increment(ref _created)}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_folder is null || _ownerLock is null)
            {
                return;
            }

            ScratchCleanup.Delete(_folder);
            if (!Directory.Exists(_folder))
            {
                DeleteQuietly(_ownerLock.Name);
            }

            _ownerLock.Dispose();
            _ownerLock = null;
            _folder = null;
        }
    }

    private string OwnFolder()
    {
        lock (_gate)
        {
            if (_folder is not null)
            {
                return _folder;
            }

            string id = Prefix + Guid.NewGuid().ToString("N");
            string folder = Path.Combine(_root, id);
            try
            {
                Directory.CreateDirectory(_root);
                // A new file: nobody else can hold its lock.
                _ownerLock = FileLock.TryOpenExclusive(folder + LockSuffix, FileMode.CreateNew, FileAccess.ReadWrite)
                    ?? throw new IOException($"{folder + LockSuffix} was locked by another process as soon as it was made.");
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BrdlException(
                    FailureScope.Build,
                    MessageCodes.ScratchFolderUnusable,
                    $"Cannot make a scratch folder in {_root}: {e.Message} It must be writable by the build (set BuildrootScratchDir to another folder).",
                    e);
            }

            _folder = folder;
            return folder;
        }
    }

    private void ReclaimDeadBuilds(IBuildLog log)
    {
        if (!Directory.Exists(_root))
        {
            return;
        }

        try
        {
            foreach (string folder in Directory.EnumerateDirectories(_root, Prefix + "*").ToArray())
            {
                if (!File.Exists(folder + LockSuffix))
                {
                    Reclaim(folder, log);
                }
            }

            foreach (string lockFile in Directory.EnumerateFiles(_root, Prefix + "*" + LockSuffix).ToArray())
            {
                using FileStream? ownerGone = TryTake(lockFile);
                if (ownerGone is not null && Reclaim(lockFile[..^LockSuffix.Length], log))
                {
                    DeleteQuietly(lockFile);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A root we cannot list is reported when this build makes its own folder there.
        }
    }

    /// <summary>Deletes a dead build's folder; true when it is gone.</summary>
    private static bool Reclaim(string folder, IBuildLog log)
    {
        if (Directory.Exists(folder))
        {
            log.Detail($"Removing {folder}, left by a build that ended before it could clean up.");
            ScratchCleanup.Delete(folder);
        }

        return !Directory.Exists(folder);
    }

    /// <summary>
    /// The lock, if no live build holds it (it is never created: a missing file was reclaimed by
    /// someone else). A file system that cannot lock is an error: it could not tell a live build's
    /// folder from a dead one's.
    /// </summary>
    private static FileStream? TryTake(string lockFile)
    {
        try
        {
            return FileLock.TryOpenExclusive(lockFile, FileMode.Open, FileAccess.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void DeleteQuietly(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
