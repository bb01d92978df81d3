using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Hashing;

/// <summary>One expected hash: a line of a hash file, or one value of the <c>Hash</c> metadata.</summary>
/// <param name="Algorithm">md5, sha1, sha224, sha256, sha384, sha512 (or an unknown name, kept to report it).</param>
/// <param name="ExpectedHex">The expected digest, lower-case hex.</param>
/// <param name="FileName">The file name the line is for.</param>
/// <param name="Origin">Where it came from, for messages: <c>path/foo.hash:3</c> or <c>Hash metadata</c>.</param>
internal sealed record HashEntry(string Algorithm, string ExpectedHex, string FileName, string Origin);

/// <summary>
/// What check-hash would compare one file against: every entry for that file's name in the
/// given hash files (those that exist) and the inline hashes.
/// </summary>
/// <param name="HashFileFound">True when at least one hash file exists, or inline hashes were given.</param>
/// <param name="Entries">The entries naming this file, in file order.</param>
/// <param name="HashFilesRead">The hash files that exist, for messages.</param>
internal sealed record HashExpectations(bool HashFileFound, ImmutableArray<HashEntry> Entries, ImmutableArray<string> HashFilesRead)
{
    /// <summary>
    /// Reads the hash files (missing ones are skipped, as Buildroot does) and keeps the lines
    /// naming <paramref name="fileName"/>; <paramref name="inlineHashes"/> (each <c>algo:hex</c>)
    /// apply to it too. A malformed line is a <see cref="Infrastructure.BrdlException"/>.
    /// </summary>
    public static HashExpectations Load(string fileName, IEnumerable<string> hashFiles, IEnumerable<string> inlineHashes)
    {
        string baseName = Path.GetFileName(fileName);
        var entries = ImmutableArray.CreateBuilder<HashEntry>();
        var filesRead = ImmutableArray.CreateBuilder<string>();

        foreach (string hashFile in hashFiles.Distinct(StringComparer.Ordinal))
        {
            // check-hash tests `-f`: a folder or a missing path is "no hash file", not an error.
            if (!File.Exists(hashFile))
            {
                continue;
            }

            filesRead.Add(hashFile);
            entries.AddRange(HashFileParser.Parse(hashFile, ReadLines(hashFile)).Where(entry => entry.FileName == baseName));
        }

        foreach (string inline in inlineHashes)
        {
            if (!InlineHash.TryParse(inline, out string algorithm, out string hex, out string problem))
            {
                throw new BrdlException(FailureScope.Package, MessageCodes.InvalidInlineHash, $"Invalid Hash metadata for {baseName}: {problem}.");
            }

            entries.Add(new HashEntry(algorithm, hex, baseName, InlineHash.Origin));
        }

        bool found = filesRead.Count > 0 || entries.Any(entry => entry.Origin == InlineHash.Origin);
        return new HashExpectations(found, entries.ToImmutable(), filesRead.ToImmutable());
    }

    private static string[] ReadLines(string hashFile)
    {
        try
        {
            return File.ReadAllLines(hashFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(
                FailureScope.Package,
                MessageCodes.HashFileUnreadable,
                $"Cannot read the hash file {hashFile}: {e.Message}",
                e);
        }
    }
}
