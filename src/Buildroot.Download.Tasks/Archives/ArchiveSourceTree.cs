using System.Collections.Immutable;
using System.IO.Enumeration;
using System.Runtime.CompilerServices;
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
        var levels = new Stack<Level>();
        levels.Push(new Level(root, [], ListChildren(root)));
        while (Next(levels, excluded) is { } entry)
        {
            yield return entry;
        }
    }

    /// <summary>The next entry of the walk, or null at its end.</summary>
    // Fully optimised at once: it runs once per file, and the tiers on the way there (with their
    // profiling) cost more than the whole walk on a tree of thousands of files.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ArchiveSourceEntry? Next(Stack<Level> levels, HashSet<string> excluded)
    {
        while (levels.TryPeek(out Level? level))
        {
            if (level.Next == level.Children.Length)
            {
                levels.Pop();
                continue;
            }

            Child child = level.Children[level.Next++];
            string fullPath = Path.Join(level.FullPath, child.Name);
            byte[] relativePath = [.. level.RelativePrefix, .. child.Utf8Name];
            if (excluded.Count > 0 && excluded.Contains(Encoding.UTF8.GetString(relativePath)))
            {
                continue;
            }

            if (child.IsFolder)
            {
                levels.Push(new Level(fullPath, [.. relativePath, (byte)'/'], ListChildren(fullPath)));
                continue;
            }

            return Describe(fullPath, relativePath, child.IsSymbolicLink);
        }

        return null;
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
            throw new BrdlException(FailureScope.Attempt, MessageCodes.ArchiveSourceUnreadable, $"Cannot list '{folder}' to archive it: {e.Message}", e);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Child[] ListChildrenSorted(string folder)
    {
        var children = new FileSystemEnumerable<Child>(
            folder,
            [MethodImpl(MethodImplOptions.AggressiveOptimization)] (ref FileSystemEntry entry) =>
            {
                bool isSymbolicLink = (entry.Attributes & FileAttributes.ReparsePoint) != 0;
                string name = entry.FileName.ToString();
                return new Child(name, Encoding.UTF8.GetBytes(name), IsFolder: entry.IsDirectory && !isSymbolicLink, isSymbolicLink);
            },
            OneFolder).ToArray();
        Array.Sort(children, static (a, b) => a.CompareTo(b));
        return children;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            throw new BrdlException(FailureScope.Attempt, MessageCodes.ArchiveSourceUnreadable, $"Cannot read '{fullPath}' to archive it: {e.Message}", e);
        }

        UnixFileStatus status = found.Value;
        if (status.Type is UnixFileType.Other)
        {
            // GNU tar would store it, but it would hang a reader (a FIFO) or mean nothing elsewhere (a device).
            throw new BrdlException(
                FailureScope.Attempt,
                MessageCodes.ArchiveSourceUnreadable,
                $"'{fullPath}' is a FIFO, socket or device file; a reproducible archive holds only files and symbolic links. Remove it or exclude it.");
        }

        if (status.Type is UnixFileType.Directory)
        {
            throw new BrdlException(
                FailureScope.Attempt,
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

    /// <summary>One folder being walked: its children, sorted, and how far through them the walk is.</summary>
    private sealed class Level(string fullPath, byte[] relativePrefix, Child[] children)
    {
        public string FullPath { get; } = fullPath;

        public byte[] RelativePrefix { get; } = relativePrefix;

        public Child[] Children { get; } = children;

        public int Next { get; set; }
    }

    private sealed record Child(string Name, byte[] Utf8Name, bool IsFolder, bool IsSymbolicLink)
    {
        /// <summary>Bytewise, as <c>LC_ALL=C sort</c> orders whole paths: a folder's name compares as if followed by <c>/</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
