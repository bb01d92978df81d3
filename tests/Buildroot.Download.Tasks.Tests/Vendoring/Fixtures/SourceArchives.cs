using Buildroot.Download.Tasks.TestUtilities;
using System.Formats.Tar;
using System.IO.Compression;

namespace Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;

/// <summary>One entry of a <c>.tar.gz</c>, as read back by the BCL's tar reader (independent of the code under test).</summary>
internal sealed record ArchiveEntry(string Name, TarEntryType Type, DateTimeOffset ModificationTime, string LinkName, byte[] Content);

/// <summary>Package archives for the vendoring tests: made with GNU tar, read with the BCL, unpacked with GNU tar.</summary>
internal static class SourceArchives
{
    /// <summary>Packs <paramref name="sourceFolder"/> as <c>&lt;top folder name&gt;/…</c> with GNU tar, as a release tarball would be.</summary>
    public static string Pack(string sourceFolder, string outputPath)
    {
        string parent = Path.GetDirectoryName(Path.GetFullPath(sourceFolder))!;
        ReferenceTool.Run("tar", ["--format=posix", "-czf", outputPath, "-C", parent, Path.GetFileName(sourceFolder)], parent);
        return outputPath;
    }

    /// <summary>Unpacks with GNU tar, stripping the top folder, into <paramref name="destination"/>.</summary>
    public static string Unpack(string archivePath, string destination)
    {
        Directory.CreateDirectory(destination);
        ReferenceTool.Run("tar", ["-xzf", archivePath, "-C", destination, "--strip-components=1"], destination);
        return destination;
    }

    public static IReadOnlyList<ArchiveEntry> ReadEntries(string archivePath)
    {
        var entries = new List<ArchiveEntry>();
        using var file = File.OpenRead(archivePath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            entries.Add(new ArchiveEntry(entry.Name, entry.EntryType, entry.ModificationTime, entry.LinkName, content.ToArray()));
        }

        return entries;
    }

    /// <summary>Writes a tar.gz entry by entry, exactly as given: how hostile archives are made.</summary>
    public static string Write(string outputPath, params TarEntry[] entries)
    {
        using var file = File.Create(outputPath);
        using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        using var writer = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (TarEntry entry in entries)
        {
            writer.WriteEntry(entry);
        }

        return outputPath;
    }

    public static PaxTarEntry FileEntry(string name, string content)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
            ModificationTime = new DateTimeOffset(2022, 3, 4, 5, 6, 7, TimeSpan.Zero),
        };
        return entry;
    }

    public static PaxTarEntry DirectoryEntry(string name) => new(TarEntryType.Directory, name);

    public static PaxTarEntry SymlinkEntry(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target };

    /// <summary>Sets every file's mtime under <paramref name="folder"/>.</summary>
    public static void Touch(string folder, DateTime utc)
    {
        foreach (string path in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            File.SetLastWriteTimeUtc(path, utc);
        }
    }
}
