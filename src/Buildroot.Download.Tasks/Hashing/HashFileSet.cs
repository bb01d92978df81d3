using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Hashing;

/// <summary>
/// The hash files of one package, read and parsed once for all its files (source, patches,
/// extra downloads).
/// </summary>
internal sealed class HashFileSet
{
    public static readonly HashFileSet None = new(ImmutableArray<string>.Empty, ImmutableArray<FileFingerprint>.Empty, ImmutableArray<HashEntry>.Empty);

    private readonly ImmutableArray<string> _files;
    private readonly ImmutableArray<FileFingerprint> _asRead;
    private readonly ImmutableArray<HashEntry> _entries;

    private HashFileSet(ImmutableArray<string> files, ImmutableArray<FileFingerprint> asRead, ImmutableArray<HashEntry> entries)
    {
        _files = files;
        _asRead = asRead;
        _entries = entries;
    }

    /// <summary>
    /// Reads every hash file named. A file the package names must be there: one that is missing
    /// or cannot be read is a <see cref="MessageCodes.HashFileUnreadable"/> error, since checking
    /// against fewer hashes than the user wrote would pass what they meant to refuse. (Buildroot's
    /// implicit <c>&lt;name&gt;.hash</c> may be absent; the manifest reader names it only when it is
    /// there.) A malformed line is a <see cref="MessageCodes.MalformedHashFile"/> error.
    /// </summary>
    public static HashFileSet Read(IEnumerable<string> hashFiles)
    {
        ImmutableArray<string> files = hashFiles.Distinct(StringComparer.Ordinal).ToImmutableArray();
        if (files.IsEmpty)
        {
            return None;
        }

        var entries = ImmutableArray.CreateBuilder<HashEntry>();
        var asRead = ImmutableArray.CreateBuilder<FileFingerprint>(files.Length);
        bool settled = true;
        foreach (string hashFile in files)
        {
            entries.AddRange(HashFileParser.Parse(hashFile, ReadLines(hashFile, out FileFingerprint fingerprint)));
            asRead.Add(fingerprint);
            settled &= fingerprint.IsSettledAt(DateTime.UtcNow);
        }

        // A hash file written just before it was read may be rewritten without its time showing
        // it: then no fingerprints are given, and stamps record none (their lines are read again).
        return new HashFileSet(files, settled ? asRead.MoveToImmutable() : ImmutableArray<FileFingerprint>.Empty, entries.ToImmutable());
    }

    /// <summary>What <paramref name="fileName"/> is checked against: the lines for its base name, then <paramref name="inlineHashes"/>.</summary>
    public HashExpectations ExpectationsFor(string fileName, IEnumerable<HashEntry> inlineHashes)
    {
        ImmutableArray<HashEntry> inline = inlineHashes.ToImmutableArray();
        ImmutableArray<HashEntry> entries = EntriesNamed(Path.GetFileName(fileName)).Concat(inline).ToImmutableArray();
        return new HashExpectations(!_files.IsEmpty || !inline.IsEmpty, entries, _files) { HashFilesAsRead = _asRead };
    }

    /// <summary>
    /// The lines whose file name is <paramref name="name"/>, compared whole: a license file is
    /// listed under its path in the sources (<c>archival/libarchive/bz/LICENSE</c>).
    /// </summary>
    public IEnumerable<HashEntry> EntriesNamed(string name) => _entries.Where(entry => entry.FileName == name);

    // Read first and explain after: a status call before each read would only answer what the
    // read's exception already says.
    private static string[] ReadLines(string hashFile, out FileFingerprint fingerprint)
    {
        try
        {
            return SmallTextFile.ReadLines(hashFile, out fingerprint);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Unreadable(hashFile, "it does not exist", null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(hashFile, Directory.Exists(hashFile) ? "it is a folder" : e.Message, e);
        }
    }

    private static BrdlException Unreadable(string hashFile, string why, Exception? cause) =>
        new(
            FailureScope.Package,
            MessageCodes.HashFileUnreadable,
            $"Cannot read the hash file {hashFile}: {why}. Check the path in HashFiles (relative paths are relative to the project that declares the package).",
            cause);
}
