using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Buildroot.Download.Tasks.Tests.Backends.Vcs;

/// <summary>One entry of a <c>.tar.gz</c>, read with the BCL's own tar reader.</summary>
internal sealed record TarGzEntry(string Name, TarEntryType Type, DateTimeOffset ModificationTime, string Text);

internal static class TarGzEntries
{
    public static IReadOnlyList<TarGzEntry> Read(string path)
    {
        var entries = new List<TarGzEntry>();
        using FileStream file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            string text = string.Empty;
            if (entry.DataStream is { } data)
            {
                using var content = new StreamReader(data, Encoding.UTF8);
                text = content.ReadToEnd();
            }

            entries.Add(new TarGzEntry(entry.Name, entry.EntryType, entry.ModificationTime, text));
        }

        return entries;
    }

    /// <summary>The regular files, by name, with their text.</summary>
    public static IReadOnlyDictionary<string, string> Files(string path) =>
        Read(path)
            .Where(e => e.Type is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            .ToDictionary(e => e.Name.TrimStart('.', '/'), e => e.Text, StringComparer.Ordinal);
}
