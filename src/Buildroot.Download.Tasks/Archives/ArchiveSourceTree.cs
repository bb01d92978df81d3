using System.Collections.Immutable;
using System.IO.Enumeration;
using System.Text;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Archives;

/// <summary>One path to archive: a file or a symbolic link (never followed), with what <c>lstat</c> said of it.</summary>
/// <param name="FullPath">Where it is on disk.</param>
/// <param name="RelativePath">Its path under the archived folder, UTF-8, without a leading <c>./</c>.</param>
/// <param name="Status">Its type, mode, size and (for a file with several names) device and inode.</param>
internal sealed record ArchiveSourceEntry(string FullPath, byte[] RelativePath, UnixFileStatus Status)
{
    public bool IsSymbolicLink => Status.Type == UnixFileType.SymbolicLink;
}

/// <summary>
/// The entries of a reproducible archive, as Buildroot lists them with
/// <c>find . -not -type d</c> (minus exclusions) piped to <c>LC_ALL=C sort</c>: every file and
/// symbolic link under the folder (empty folders vanish, symlinks to folders are not entered),
/// ordered bytewise on their UTF-8 paths. FIFOs, sockets and devices are refused.
/// <para>
/// The entries come one folder at a time, already in that order, so the archive can start
/// while the rest of the tree is still unread: sorting each folder's names, with <c>/</c>
/// after the name of every real folder, puts a whole sorted tree in the order of its sorted
/// full paths (everything under <c>a/</c> shares that prefix, so it sorts as one block, after
/// <c>a.c</c>, since <c>.</c> sorts before <c>/</c>). Only one folder's names are held per level.
/// </para>
/// </summary>
internal static class ArchiveSourceTree
{
    private static readonly EnumerationOptions OneFolder = new()
    {
        RecurseSubdirectories = false,
        AttributesToSkip = 0, // dot files count as hidden here; they are archived like any other
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };

    public static IEnumerable<ArchiveSourceEntry> EnumerateSorted(string folder, ImmutableArray<string> exclusions)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The folder to archive does not exist: {root}");
        }

        return Walk(root, Normalize(exclusions));
    }

    private static IEnumerable<ArchiveSourceEntry> Walk(string root, HashSet<string> excluded)
    {
        // Each level: a folder's children, sorted, and how far through them we are.
        var levels = new Stack<(string FullPath, byte[] RelativePrefix, Child[] Children, int Next)>();
        levels.Push((root, [], ListChildren(root), 0));
        while (levels.Count > 0)
        {
            (string folder, byte[] prefix, Child[] children, int next) = levels.Pop();
            if (next == children.Length)
            {
                continue;
            }

            levels.Push((folder, prefix, children, next + 1));
            Child child = children[next];
            string fullPath = Path.Join(folder, child.Name);
            byte[] relativePath = [.. prefix, .. child.Utf8Name];
            if (excluded.Count > 0 && excluded.Contains(Encoding.UTF8.GetString(relativePath)))
            {
                continue;
            }

            if (child.IsFolder)
            {
                levels.Push((fullPath, [.. relativePath, (byte)'/'], ListChildren(fullPath), 0));
                continue;
            }

            yield return Describe(fullPath, relativePath, child.IsSymbolicLink);
        }
    }

    /// <summary>The names in one folder, sorted bytewise with a real folder's name read as <c>name/</c>.</summary>
    private static Child[] ListChildren(string folder)
    {
        try
        {
            return ListChildrenSorted(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(MessageCodes.ArchiveSourceUnreadable, $"Cannot list '{folder}' to archive it: {e.Message}", e);
        }
    }

    private static Child[] ListChildrenSorted(string folder)
    {
        var children = new FileSystemEnumerable<Child>(
            folder,
            (ref FileSystemEntry entry) =>
            {
                bool isSymbolicLink = (entry.Attributes & FileAttributes.ReparsePoint) != 0;
                string name = entry.FileName.ToString();
                return new Child(name, Encoding.UTF8.GetBytes(name), IsFolder: entry.IsDirectory && !isSymbolicLink, isSymbolicLink);
            },
            OneFolder).ToArray();
        Array.Sort(children, static (a, b) => a.CompareTo(b));
        return children;
    }

    private static ArchiveSourceEntry Describe(string fullPath, byte[] relativePath, bool isSymbolicLink)
    {
        UnixFileStatus? found;
        try
        {
            // No statx (not Linux): what .NET tells, without hard links or special files.
            found = UnixFileStatus.TryGet(fullPath) ?? UnixFileStatus.Fallback(fullPath, isSymbolicLink);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(MessageCodes.ArchiveSourceUnreadable, $"Cannot read '{fullPath}' to archive it: {e.Message}", e);
        }

        UnixFileStatus status = found.Value;
        if (status.Type is UnixFileType.Other)
        {
            // GNU tar would store it, but it would hang a reader (a FIFO) or mean nothing elsewhere (a device).
            throw new BrdlException(
                MessageCodes.ArchiveSourceUnreadable,
                $"'{fullPath}' is a FIFO, socket or device file; a reproducible archive holds only files and symbolic links. Remove it or exclude it.");
        }

        if (status.Type is UnixFileType.Directory)
        {
            throw new BrdlException(
                MessageCodes.ArchiveSourceUnreadable,
                $"'{fullPath}' became a folder while it was being archived; nothing may change the folder meanwhile.");
        }

        return new ArchiveSourceEntry(fullPath, relativePath, status);
    }

    /// <summary><c>./.git</c>, <c>.git</c> and <c>.git/</c> all mean the top-level <c>.git</c>.</summary>
    private static HashSet<string> Normalize(ImmutableArray<string> exclusions)
    {
        var normalized = new HashSet<string>(StringComparer.Ordinal);
        foreach (string exclusion in exclusions.IsDefault ? [] : exclusions)
        {
            string path = exclusion;
            while (path.StartsWith("./", StringComparison.Ordinal))
            {
                path = path[2..];
            }

            path = path.TrimEnd('/');
            if (path.Length > 0 && path != ".")
            {
                normalized.Add(path);
            }
        }

        return normalized;
    }

    private readonly record struct Child(string Name, byte[] Utf8Name, bool IsFolder, bool IsSymbolicLink)
    {
        /// <summary>Bytewise, as <c>LC_ALL=C sort</c> orders whole paths: a folder's name compares as if followed by <c>/</c>.</summary>
        public int CompareTo(Child other)
        {
            int common = Math.Min(Utf8Name.Length, other.Utf8Name.Length);
            int order = Utf8Name.AsSpan(0, common).SequenceCompareTo(other.Utf8Name.AsSpan(0, common));
            if (order != 0)
            {
                return order;
            }

            return ByteAfter(common).CompareTo(other.ByteAfter(common));
        }

        /// <summary>The byte at <paramref name="index"/> of the name as sorted (-1 past its end).</summary>
        private int ByteAfter(int index) =>
            index < Utf8Name.Length ? Utf8Name[index] : index == Utf8Name.Length && IsFolder ? '/' : -1;
    }
}
