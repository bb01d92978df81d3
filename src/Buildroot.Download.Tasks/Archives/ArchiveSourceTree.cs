using System.Collections.Immutable;
using System.IO.Enumeration;
using System.Text;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Archives;

/// <summary>One path to archive: a file or a symbolic link (never followed).</summary>
/// <param name="FullPath">Where it is on disk.</param>
/// <param name="RelativePath">Its path under the archived folder, UTF-8, without a leading <c>./</c>.</param>
/// <param name="HardLinkKey">Device and inode of a file with several names, which tar stores once and links to after.</param>
internal sealed record ArchiveSourceEntry(string FullPath, byte[] RelativePath, bool IsSymbolicLink, (ulong Device, ulong Inode)? HardLinkKey = null);

/// <summary>
/// The entries of a reproducible archive, as Buildroot lists them with
/// <c>find . -not -type d</c> (minus exclusions) piped to <c>LC_ALL=C sort</c>: every file and
/// symbolic link under the folder (empty folders vanish, symlinks to folders are not entered),
/// ordered bytewise on their UTF-8 paths. Only the list is held, never contents.
/// FIFOs, sockets and devices are refused (see <see cref="UnixFileStatus"/>).
/// </summary>
internal static class ArchiveSourceTree
{
    public static List<ArchiveSourceEntry> ListSorted(string folder, ImmutableArray<string> exclusions)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The folder to archive does not exist: {root}");
        }

        int prefixLength = root.EndsWith('/') ? root.Length : root.Length + 1;
        HashSet<string> excluded = Normalize(exclusions);
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = 0, // dot files count as hidden here; they are archived like any other
            IgnoreInaccessible = false,
            ReturnSpecialDirectories = false,
        };

        var entries = new FileSystemEnumerable<ArchiveSourceEntry>(
            root,
            (ref FileSystemEntry entry) => Describe(entry.ToFullPath(), prefixLength, IsSymbolicLink(ref entry)),
            options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                (!entry.IsDirectory || IsSymbolicLink(ref entry)) && !IsExcluded(ref entry, prefixLength, excluded),
            ShouldRecursePredicate = (ref FileSystemEntry entry) =>
                !IsSymbolicLink(ref entry) && !IsExcluded(ref entry, prefixLength, excluded),
        };

        List<ArchiveSourceEntry> list = [.. entries];
        list.Sort((a, b) => a.RelativePath.AsSpan().SequenceCompareTo(b.RelativePath));
        return list;
    }

    private static ArchiveSourceEntry Describe(string fullPath, int prefixLength, bool isSymbolicLink)
    {
        byte[] relativePath = Encoding.UTF8.GetBytes(fullPath[prefixLength..]);
        if (UnixFileStatus.TryGet(fullPath) is not { } status)
        {
            return new ArchiveSourceEntry(fullPath, relativePath, isSymbolicLink);
        }

        if (status.Type is UnixFileType.Other)
        {
            // GNU tar would store it, but it would hang a reader (a FIFO) or mean nothing elsewhere (a device).
            throw new BrdlException(
                FailureScope.Attempt,
                MessageCodes.ArchiveSourceUnreadable,
                $"'{fullPath}' is a FIFO, socket or device file; a reproducible archive holds only files and symbolic links. Remove it or exclude it.");
        }

        return new ArchiveSourceEntry(fullPath, relativePath, status.Type is UnixFileType.SymbolicLink, status.HardLinkKey);
    }

    private static bool IsSymbolicLink(ref FileSystemEntry entry) =>
        (entry.Attributes & FileAttributes.ReparsePoint) != 0;

    /// <summary>An exclusion leaves out the path itself and, for a folder, everything below it.</summary>
    private static bool IsExcluded(ref FileSystemEntry entry, int prefixLength, HashSet<string> excluded)
    {
        if (excluded.Count == 0)
        {
            return false;
        }

        string relative = entry.ToFullPath()[prefixLength..];
        return excluded.Contains(relative);
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
}
