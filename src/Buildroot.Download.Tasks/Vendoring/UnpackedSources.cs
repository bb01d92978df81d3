using System.Collections.Immutable;
using System.Text;
using Buildroot.Download.Tasks.Archives;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Vendoring;

/// <summary>
/// A package archive unpacked for vendoring, with what repacking it needs: the name of its
/// top folder (the new archive's base name) and its date, the mtime of its first regular file
/// in bytewise order, read before the vendoring tool adds anything (Buildroot's
/// <c>post_process_unpack</c> / <c>post_process_repack</c>).
/// </summary>
internal sealed class UnpackedSources
{
    private readonly string _scratchFolder;

    private UnpackedSources(string scratchFolder, string root, string baseName, DateTimeOffset date)
    {
        _scratchFolder = scratchFolder;
        Root = root;
        BaseName = baseName;
        Date = date;
    }

    /// <summary>The sources: the archive's top folder, unpacked.</summary>
    public string Root { get; }

    /// <summary>The repacked archive's top folder: the package's base name, else the archive's own top folder name.</summary>
    public string BaseName { get; }

    public DateTimeOffset Date { get; }

    /// <summary>
    /// Unpacks <paramref name="archivePath"/> into <c>&lt;scratchFolder&gt;/unpacked</c>.
    /// <see cref="ArchiveReader"/> refuses any entry that would land outside it.
    /// </summary>
    /// <param name="baseName">
    /// The top folder of the repacked archive: Buildroot repacks under the package's
    /// <c>&lt;name&gt;-&lt;version&gt;</c>, whatever the upstream archive called its folder; null keeps that folder's name.
    /// </param>
    public static async Task<UnpackedSources> UnpackAsync(string archivePath, string scratchFolder, string? baseName, CancellationToken cancellationToken)
    {
        string destination = Path.Combine(scratchFolder, "unpacked");
        Directory.CreateDirectory(destination);

        // Unpacked whole rather than with the top folder stripped: without a package, its name is the base name to keep.
        await ArchiveReader.ExtractAsync(archivePath, destination, stripComponents: 0, cancellationToken).ConfigureAwait(false);

        string root = SingleTopFolder(archivePath, destination);
        return new UnpackedSources(scratchFolder, root, baseName ?? Path.GetFileName(root), DateOfFirstFile(archivePath, root));
    }

    /// <summary>
    /// The full path of <paramref name="relativePath"/> (a package setting such as <c>CargoManifest</c>)
    /// inside the sources; a path that would leave them is refused.
    /// </summary>
    public string Resolve(string relativePath, string settingName)
    {
        string normalized = relativePath.Replace('\\', '/');
        bool escapes = Path.IsPathRooted(normalized)
            || normalized.Split('/').Any(part => part == "..");
        if (escapes)
        {
            throw new BrdlException(
                FailureScope.Package,
                MessageCodes.VendoringPathOutsideSources,
                $"{settingName} '{relativePath}' must be a path inside the package's sources (relative to its top folder, without '..').");
        }

        return Path.GetFullPath(Path.Combine(Root, normalized));
    }

    /// <summary>Packs the sources (vendored dependencies included) back into <paramref name="archivePath"/>.</summary>
    public async Task RepackAsync(string archivePath, string gzipTool, ProcessRunner runner, CancellationToken cancellationToken)
    {
        // Written beside the sources first, so that a failure leaves the archive as it was.
        string repacked = Path.Combine(_scratchFolder, "vendored.tar.gz");
        var request = new ArchiveRequest(Root, BaseName, Date, repacked, ImmutableArray<string>.Empty, gzipTool);
        await ReproducibleArchive.CreateAsync(request, runner, cancellationToken).ConfigureAwait(false);
        File.Move(repacked, archivePath, overwrite: true);
    }

    private static string SingleTopFolder(string archivePath, string destination)
    {
        string[] entries = Directory.GetFileSystemEntries(destination);
        if (entries.Length != 1 || !Directory.Exists(entries[0]) || File.ResolveLinkTarget(entries[0], returnFinalTarget: false) is not null)
        {
            throw new BrdlException(
                FailureScope.WrongContent,
                MessageCodes.ArchiveWithoutSingleTopFolder,
                $"{Path.GetFileName(archivePath)} cannot be vendored: it must hold a single top folder with the sources, "
                + $"but its top level has {string.Join(", ", entries.Select(Path.GetFileName).Order(StringComparer.Ordinal))}.");
        }

        return entries[0];
    }

    /// <summary>
    /// The mtime of the first regular file (symlinks do not count, as with <c>find -type f</c>)
    /// in bytewise order of its path, in whole seconds.
    /// </summary>
    private static DateTimeOffset DateOfFirstFile(string archivePath, string root)
    {
        var everything = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
        };
        FileInfo? first = null;
        byte[]? firstKey = null;
        foreach (FileInfo file in new DirectoryInfo(root).EnumerateFiles("*", everything))
        {
            if (file.LinkTarget is not null)
            {
                continue;
            }

            byte[] key = Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file.FullName).Replace('\\', '/'));
            if (firstKey is null || key.AsSpan().SequenceCompareTo(firstKey) < 0)
            {
                first = file;
                firstKey = key;
            }
        }

        if (first is null)
        {
            throw new BrdlException(
                FailureScope.WrongContent,
                MessageCodes.VendoringFailed,
                $"{Path.GetFileName(archivePath)} holds no regular file: there are no sources to vendor.");
        }

        return DateTimeOffset.FromUnixTimeSeconds(new DateTimeOffset(first.LastWriteTimeUtc).ToUnixTimeSeconds());
    }
}
