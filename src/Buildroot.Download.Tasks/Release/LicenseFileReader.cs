using System.Formats.Tar;
using System.IO.Compression;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Release;

/// <summary>
/// Reads a few files out of a package's source archive, as Buildroot finds its license files
/// after extracting it: paths are relative to the archive's top folder (Buildroot extracts tar
/// archives with <c>--strip-components=1</c>). Nothing is unpacked to disk: the archive is read
/// as a stream (gzip and plain tar here; xz, bzip2, zstd and lzip through the host's decompressor
/// into a scratch file; zip here), and a symbolic or hard link among the wanted files is followed
/// inside the archive, never out of it.
/// </summary>
internal sealed class LicenseFileReader
{
    private const int MostLinksFollowed = 8;

    private readonly ProcessRunner _runner;
    private readonly string _scratchFolder;

    /// <param name="scratchFolder">Where a decompressed copy may go (deleted afterwards).</param>
    public LicenseFileReader(ProcessRunner runner, string scratchFolder)
    {
        _runner = runner;
        _scratchFolder = scratchFolder;
    }

    /// <returns>The content of each wanted file found, by its wanted path; a file not found is absent.</returns>
    public async Task<IReadOnlyDictionary<string, byte[]>> ReadAsync(string archive, IReadOnlyCollection<string> wanted, CancellationToken cancellationToken)
    {
        ArchiveKind kind = await KindOfAsync(archive, cancellationToken).ConfigureAwait(false);
        if (kind == ArchiveKind.Zip)
        {
            return ReadZip(archive, wanted);
        }

        string? decompressed = null;
        try
        {
            string tar = archive;
            if (kind is not (ArchiveKind.Gzip or ArchiveKind.Tar))
            {
                decompressed = Path.Combine(_scratchFolder, $"{Path.GetFileName(archive)}.{Guid.NewGuid():N}.tar");
                Directory.CreateDirectory(_scratchFolder);
                await DecompressAsync(kind, archive, decompressed, cancellationToken).ConfigureAwait(false);
                tar = decompressed;
            }

            return await ReadTarAsync(tar, kind == ArchiveKind.Gzip, archive, wanted, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (decompressed is not null)
            {
                File.Delete(decompressed);
            }
        }
    }

    /// <summary>
    /// Passes over the tar stream until every wanted file is found or known missing: a pass
    /// collects the wanted regular files and the links among them; the next looks for the links' targets.
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, byte[]>> ReadTarAsync(string tar, bool gzip, string archive, IReadOnlyCollection<string> wanted, CancellationToken cancellationToken)
    {
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var targets = wanted.ToDictionary(name => name, name => (string?)name, StringComparer.Ordinal);
        for (int pass = 0; pass <= MostLinksFollowed; pass++)
        {
            var needed = targets.Values.OfType<string>().Where(t => !contents.ContainsKey(t)).ToHashSet(StringComparer.Ordinal);
            if (needed.Count == 0)
            {
                break;
            }

            var links = new Dictionary<string, string?>(StringComparer.Ordinal);
            await ScanAsync(tar, gzip, archive, needed, contents, links, cancellationToken).ConfigureAwait(false);
            if (links.Count == 0)
            {
                break;
            }

            foreach (string name in targets.Keys.ToArray())
            {
                if (targets[name] is { } target && links.TryGetValue(target, out string? next))
                {
                    targets[name] = next;
                }
            }
        }

        return targets
            .Where(pair => pair.Value is not null && contents.ContainsKey(pair.Value))
            .ToDictionary(pair => pair.Key, pair => contents[pair.Value!], StringComparer.Ordinal);
    }

    private static async Task ScanAsync(
        string tar,
        bool gzip,
        string archive,
        HashSet<string> needed,
        Dictionary<string, byte[]> contents,
        Dictionary<string, string?> links,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var file = new FileStream(tar, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 128 * 1024, useAsync: true);
            await using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            await using var reader = new TarReader(stream);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (InTopFolder(entry.Name) is not { } path || !needed.Contains(path))
                {
                    continue;
                }

                switch (entry.EntryType)
                {
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        using (var content = new MemoryStream())
                        {
                            if (entry.DataStream is { } data)
                            {
                                await data.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
                            }

                            contents[path] = content.ToArray();
                        }

                        break;
                    case TarEntryType.SymbolicLink:
                        links[path] = Resolve(path, entry.LinkName);
                        break;
                    case TarEntryType.HardLink:
                        links[path] = InTopFolder(entry.LinkName);
                        break;
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Package, MessageCodes.LicenseFilesUnreadable, $"Cannot read the license files out of {archive}: {e.Message}", e);
        }
    }

    private static IReadOnlyDictionary<string, byte[]> ReadZip(string archive, IReadOnlyCollection<string> wanted)
    {
        try
        {
            using ZipArchive zip = ZipFile.OpenRead(archive);
            string?[] tops = zip.Entries.Select(e => Parts(e.FullName).FirstOrDefault()).Distinct().ToArray();
            bool stripTop = tops.Length == 1 && zip.Entries.All(e => Parts(e.FullName).Length > 1 || e.FullName.EndsWith('/'));
            var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (ZipArchiveEntry entry in zip.Entries)
            {
                string[] parts = Parts(entry.FullName);
                string path = string.Join('/', stripTop ? parts.Skip(1) : parts);
                if (wanted.Contains(path) && !entry.FullName.EndsWith('/'))
                {
                    using Stream data = entry.Open();
                    using var content = new MemoryStream();
                    data.CopyTo(content);
                    found[path] = content.ToArray();
                }
            }

            return found;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Package, MessageCodes.LicenseFilesUnreadable, $"Cannot read the license files out of {archive}: {e.Message}", e);
        }
    }

    private async Task DecompressAsync(ArchiveKind kind, string archive, string output, CancellationToken cancellationToken)
    {
        string tool = kind switch
        {
            ArchiveKind.Xz => "xz",
            ArchiveKind.Bzip2 => "bzip2",
            ArchiveKind.Zstd => "zstd",
            _ => "lzip",
        };
        ExternalCommand command = new ExternalCommand(tool)
            .WithArguments("-d", "-c", "--", archive)
            .WithStandardOutputTo(output)
            .WithMissingToolHint($"Install {tool} (Debian: {(kind == ArchiveKind.Xz ? "xz-utils" : tool)}) to read the license files of a {tool}-compressed source.");
        try
        {
            await _runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (BrdlException e) when (e.Code == MessageCodes.ToolFailed)
        {
            throw new BrdlException(FailureScope.Package, MessageCodes.LicenseFilesUnreadable, $"Cannot read the license files out of {archive}: {e.Message}", e);
        }
    }

    /// <summary>What the first bytes say the archive is; anything else cannot hold license files for us.</summary>
    private static async Task<ArchiveKind> KindOfAsync(string archive, CancellationToken cancellationToken)
    {
        byte[] head = new byte[512];
        int read;
        try
        {
            await using var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read);
            read = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Package, MessageCodes.LicenseFilesUnreadable, $"Cannot read {archive} for its license files: {e.Message}", e);
        }

        ReadOnlySpan<byte> bytes = head.AsSpan(0, read);
        return bytes switch
        {
            [0x1f, 0x8b, ..] => ArchiveKind.Gzip,
            [0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, ..] => ArchiveKind.Xz,
            [(byte)'B', (byte)'Z', (byte)'h', ..] => ArchiveKind.Bzip2,
            [0x28, 0xb5, 0x2f, 0xfd, ..] => ArchiveKind.Zstd,
            [(byte)'L', (byte)'Z', (byte)'I', (byte)'P', ..] => ArchiveKind.Lzip,
            [(byte)'P', (byte)'K', 0x03, 0x04, ..] => ArchiveKind.Zip,
            _ when read >= 262 && bytes[257..262].SequenceEqual("ustar"u8) => ArchiveKind.Tar,
            _ => throw new BrdlException(
                FailureScope.Package,
                MessageCodes.LicenseFilesUnreadable,
                $"{archive} is not an archive its license files can be read from (tar, optionally gzip, xz, bzip2, zstd or lzip compressed, or zip)."),
        };
    }

    /// <summary>An entry's path below the archive's top folder, or null for the top folder itself.</summary>
    private static string? InTopFolder(string entryName)
    {
        string[] parts = Parts(entryName);
        return parts.Length > 1 && !parts.Contains("..") ? string.Join('/', parts.Skip(1)) : null;
    }

    /// <summary>A symbolic link's target as a path below the top folder, or null when it leads out of it.</summary>
    private static string? Resolve(string linkPath, string target)
    {
        if (target.StartsWith('/'))
        {
            return null;
        }

        var parts = new List<string>(Parts(linkPath)[..^1]);
        foreach (string part in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    private static string[] Parts(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(part => part != ".").ToArray();

    private enum ArchiveKind
    {
        Gzip,
        Tar,
        Xz,
        Bzip2,
        Zstd,
        Lzip,
        Zip,
    }
}
