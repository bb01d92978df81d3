using System.Formats.Tar;
using System.IO.Compression;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Archives;

/// <summary>
/// Reads <c>.tar.gz</c> archives safely: nothing in an archive may land outside the folder it is
/// unpacked into (absolute paths, <c>..</c>, symlinks pointing out, hard links out are refused with
/// <see cref="Infrastructure.MessageCodes.UnsafeArchiveEntry"/>).
/// </summary>
internal static class ArchiveReader
{
    /// <summary>Unpacks <paramref name="archivePath"/> into <paramref name="destinationFolder"/>, dropping the first <paramref name="stripComponents"/> path parts.</summary>
    /// <remarks>
    /// Files keep their permission bits and modification times, symbolic links their targets;
    /// hard links become copies. Device files and FIFOs are refused. On an error the folder may
    /// hold part of the archive, but never anything outside it.
    /// </remarks>
    public static async Task ExtractAsync(string archivePath, string destinationFolder, int stripComponents, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stripComponents);
        var extraction = new SafeExtraction(destinationFolder, archivePath);
        await ForEachEntryAsync(archivePath, async entry =>
        {
            if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
            {
                return; // e.g. the commit id git archive puts first: nothing to unpack
            }

            string[]? parts = ArchiveEntryPath.Strip(ArchiveEntryPath.Split(entry.Name, archivePath), stripComponents);
            switch (entry.EntryType)
            {
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    if (parts is not null)
                    {
                        await extraction.WriteFileAsync(entry.Name, parts, entry, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case TarEntryType.Directory:
                    if (parts is not null)
                    {
                        extraction.CreateFolder(entry.Name, parts);
                    }

                    break;
                case TarEntryType.SymbolicLink:
                    if (parts is not null)
                    {
                        extraction.DeferSymbolicLink(entry.Name, parts, entry.LinkName);
                    }

                    break;
                case TarEntryType.HardLink:
                    // tar strips a hard link's target like a name: it is a path in the archive.
                    string[]? target = ArchiveEntryPath.Strip(ArchiveEntryPath.SplitHardLinkTarget(entry.Name, entry.LinkName, archivePath), stripComponents);
                    if (parts is not null)
                    {
                        extraction.CopyHardLink(entry.Name, parts, target ?? throw ArchiveEntryPath.Unsafe(entry.Name, archivePath, $"it is a hard link to '{entry.LinkName}', which the stripping removes"));
                    }

                    break;
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                    throw ArchiveEntryPath.Unsafe(entry.Name, archivePath, $"it is a {entry.EntryType} (device files and FIFOs are never unpacked)");
                default:
                    throw new BrdlException(FailureScope.WrongContent, MessageCodes.ArchiveUnreadable, $"Cannot unpack '{archivePath}': the entry '{entry.Name}' is of a kind this reader does not handle ({entry.EntryType}).");
            }
        }, cancellationToken).ConfigureAwait(false);

        extraction.CreateSymbolicLinks();
    }

    /// <summary>True when the archive holds <c>&lt;top folder&gt;/<paramref name="relativePath"/></c> (a file or a folder) under its single top folder.</summary>
    public static Task<bool> ContainsUnderTopFolderAsync(string archivePath, string relativePath, CancellationToken cancellationToken) =>
        ContainsAnyUnderTopFolderAsync(archivePath, [relativePath], cancellationToken);

    /// <summary>
    /// True when the archive holds any of <paramref name="relativePaths"/> under its single top
    /// folder; one pass over the archive, however many paths are asked about.
    /// </summary>
    public static async Task<bool> ContainsAnyUnderTopFolderAsync(string archivePath, IReadOnlyCollection<string> relativePaths, CancellationToken cancellationToken)
    {
        string[][] wanted = relativePaths.Select(SignificantParts).ToArray();
        bool found = false;
        await ForEachEntryAsync(archivePath, entry =>
        {
            if (entry.EntryType != TarEntryType.GlobalExtendedAttributes)
            {
                string[] parts = SignificantParts(entry.Name);
                found = wanted.Any(w => parts.Length > w.Length && parts.AsSpan(1, w.Length).SequenceEqual(w));
            }

            return Task.FromResult(!found);
        }, cancellationToken).ConfigureAwait(false);
        return found;

        static string[] SignificantParts(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
    }

    /// <summary>Runs <paramref name="visit"/> on each entry in order; for a gzip-compressed or a plain tar.</summary>
    private static async Task ForEachEntryAsync(string archivePath, Func<TarEntry, Task> visit, CancellationToken cancellationToken) =>
        await ForEachEntryAsync(archivePath, async entry =>
        {
            await visit(entry).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Stops as soon as <paramref name="visit"/> answers false.</summary>
    private static async Task ForEachEntryAsync(string archivePath, Func<TarEntry, Task<bool>> visit, CancellationToken cancellationToken)
    {
        await using FileStream file = OpenArchive(archivePath);
        await using Stream tar = await IsGzipAsync(file, cancellationToken).ConfigureAwait(false)
            ? new GZipStream(file, CompressionMode.Decompress)
            : file;
        await using var reader = new TarReader(tar);
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
            {
                throw new BrdlException(FailureScope.WrongContent, MessageCodes.ArchiveUnreadable, $"Cannot read '{archivePath}': it is not a valid .tar.gz or .tar ({e.Message}).", e);
            }

            if (entry is null || !await visit(entry).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private static FileStream OpenArchive(string archivePath)
    {
        try
        {
            return new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 128 * 1024, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.WrongContent, MessageCodes.ArchiveUnreadable, $"Cannot read '{archivePath}': {e.Message}", e);
        }
    }

    /// <summary>Looks for gzip's magic bytes (1f 8b), then rewinds.</summary>
    private static async Task<bool> IsGzipAsync(FileStream file, CancellationToken cancellationToken)
    {
        byte[] magic = new byte[2];
        int read = await file.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
