using System.Formats.Tar;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Archives;

/// <summary>
/// Writes the entries of one archive under one folder and nowhere else. Folders and files go
/// first, each path checked part by part before anything is written (no part may be a symbolic
/// link, whether the archive made it or it was there already); symbolic links are only created
/// at the end, like GNU tar's delayed links, so no entry is ever written through one. Once the
/// tree is complete, every link is resolved against it and one that leads out is removed and refused.
/// </summary>
internal sealed class SafeExtraction
{
    private const int MaxLinkDepth = 40; // as the kernel's ELOOP limit

    private readonly string _root;
    private readonly string _archivePath;
    private readonly HashSet<string> _checkedFolders = new(StringComparer.Ordinal) { string.Empty };
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string EntryName, string Target)> _pendingLinks = new(StringComparer.Ordinal);
    private readonly List<string> _pendingOrder = [];

    public SafeExtraction(string destinationFolder, string archivePath)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(destinationFolder));
        _archivePath = archivePath;
        Directory.CreateDirectory(_root);
    }

    public void CreateFolder(string entryName, string[] parts)
    {
        string relative = PrepareParent(entryName, parts);
        string path = FullPath(relative);
        _pendingLinks.Remove(relative); // a later entry replaces an earlier one of the same name, as with tar
        if (File.Exists(path) && !Directory.Exists(path))
        {
            File.Delete(path);
            _files.Remove(relative);
        }

        EnsureRealFolder(entryName, relative);
    }

    public async Task WriteFileAsync(string entryName, string[] parts, TarEntry entry, CancellationToken cancellationToken)
    {
        string relative = PrepareParent(entryName, parts);
        string path = ReplaceableFilePath(entryName, relative);

        // CreateNew (O_EXCL) never follows a link at the last part, and the parents were checked above.
        await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, useAsync: true))
        {
            if (entry.DataStream is { } data)
            {
                await data.CopyToAsync(output, 128 * 1024, cancellationToken).ConfigureAwait(false);
            }

            ApplyModeAndTime(output, entry.Mode, entry.ModificationTime);
        }

        _files.Add(relative);
    }

    /// <summary>A hard link becomes a copy of the earlier file of this archive it names; anything else is refused.</summary>
    public void CopyHardLink(string entryName, string[] parts, string[] targetParts)
    {
        string relative = PrepareParent(entryName, parts);
        string target = string.Join('/', targetParts);
        if (_pendingLinks.TryGetValue(target, out var link))
        {
            DeferSymbolicLink(entryName, parts, link.Target);
            return;
        }

        if (!_files.Contains(target))
        {
            throw ArchiveEntryPath.Unsafe(entryName, _archivePath, $"it is a hard link to '{target}', which is not an earlier file of the archive");
        }

        if (target == relative)
        {
            return;
        }

        string path = ReplaceableFilePath(entryName, relative);
        File.Copy(FullPath(target), path);
        _files.Add(relative);
    }

    public void DeferSymbolicLink(string entryName, string[] parts, string target)
    {
        if (target.StartsWith('/'))
        {
            throw ArchiveEntryPath.Unsafe(entryName, _archivePath, $"it is a symbolic link to the absolute path '{target}'");
        }

        string relative = PrepareParent(entryName, parts);
        if (!_pendingLinks.ContainsKey(relative))
        {
            _pendingOrder.Add(relative);
        }

        _pendingLinks[relative] = (entryName, target);
    }

    /// <summary>Creates the symbolic links, then refuses (and removes) any that leads out of the folder.</summary>
    public void CreateSymbolicLinks()
    {
        List<string> created = [];
        foreach (string relative in _pendingOrder.Where(_pendingLinks.ContainsKey))
        {
            string path = FullPath(relative);
            if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
            {
                throw new BrdlException(FailureScope.WrongContent, MessageCodes.ArchiveUnreadable, $"Cannot unpack '{_archivePath}': the symbolic link '{_pendingLinks[relative].EntryName}' would replace a folder of the same archive.");
            }

            if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
            {
                File.Delete(path);
            }

            File.CreateSymbolicLink(path, _pendingLinks[relative].Target);
            created.Add(relative);
        }

        foreach (string relative in created)
        {
            (string entryName, string target) = _pendingLinks[relative];
            List<string> location = [.. relative.Split('/')[..^1]];
            if (!ResolvesInside(location, target, depth: 0))
            {
                foreach (string link in created)
                {
                    File.Delete(FullPath(link));
                }

                throw ArchiveEntryPath.Unsafe(entryName, _archivePath, $"it is a symbolic link to '{target}', which resolves outside");
            }
        }
    }

    /// <summary>
    /// Follows <paramref name="target"/> from <paramref name="location"/> (parts under the root)
    /// through the finished tree, the way the kernel would, links included; parts that do not
    /// exist are taken as plain names.
    /// </summary>
    private bool ResolvesInside(List<string> location, string target, int depth)
    {
        if (target.StartsWith('/') || depth > MaxLinkDepth)
        {
            return false;
        }

        foreach (string part in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (location.Count == 0)
                {
                    return false;
                }

                location.RemoveAt(location.Count - 1);
                continue;
            }

            location.Add(part);
            if (new FileInfo(FullPath(string.Join('/', location))).LinkTarget is { } next)
            {
                location.RemoveAt(location.Count - 1);
                if (!ResolvesInside(location, next, depth + 1))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Makes sure every parent folder of the entry is a real folder under the root, creating missing ones.</summary>
    private string PrepareParent(string entryName, string[] parts)
    {
        for (int i = 1; i < parts.Length; i++)
        {
            EnsureRealFolder(entryName, string.Join('/', parts[..i]));
        }

        return string.Join('/', parts);
    }

    private void EnsureRealFolder(string entryName, string relative)
    {
        if (_checkedFolders.Contains(relative))
        {
            return;
        }

        if (_pendingLinks.ContainsKey(relative))
        {
            throw ArchiveEntryPath.Unsafe(entryName, _archivePath, $"it would be written through the symbolic link '{relative}'");
        }

        string path = FullPath(relative);
        var folder = new DirectoryInfo(path);
        if (folder.LinkTarget is not null || new FileInfo(path).LinkTarget is not null)
        {
            throw ArchiveEntryPath.Unsafe(entryName, _archivePath, $"it would be written through the symbolic link '{relative}' already in the destination");
        }

        if (!folder.Exists)
        {
            if (File.Exists(path))
            {
                throw new BrdlException(FailureScope.WrongContent, MessageCodes.ArchiveUnreadable, $"Cannot unpack '{_archivePath}': '{entryName}' needs '{relative}' to be a folder, but an earlier entry made it a file.");
            }

            Directory.CreateDirectory(path);
        }

        _checkedFolders.Add(relative);
    }

    /// <summary>The file's path, with whatever file or link was there removed first (a later entry wins, as with tar).</summary>
    private string ReplaceableFilePath(string entryName, string relative)
    {
        _pendingLinks.Remove(relative);
        string path = FullPath(relative);
        if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
        {
            throw new BrdlException(FailureScope.WrongContent, MessageCodes.ArchiveUnreadable, $"Cannot unpack '{_archivePath}': the file '{entryName}' would replace a folder.");
        }

        if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            File.Delete(path);
        }

        return path;
    }

    private string FullPath(string relative) => relative.Length == 0 ? _root : Path.Join(_root, relative);

    private static void ApplyModeAndTime(FileStream output, UnixFileMode mode, DateTimeOffset modified)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(output.SafeFileHandle, mode & (UnixFileMode)0b111_111_111);
        }

        File.SetLastWriteTimeUtc(output.SafeFileHandle, modified.UtcDateTime);
    }
}
