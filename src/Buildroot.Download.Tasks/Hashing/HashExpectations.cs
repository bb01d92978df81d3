using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Hashing;

/// <summary>One expected hash: a line of a hash file, or one value of the <c>Hash</c> metadata.</summary>
/// <param name="Algorithm">md5, sha1, sha224, sha256, sha384, sha512 (or an unknown name, kept to report it).</param>
/// <param name="ExpectedHex">The expected digest, lower-case hex.</param>
/// <param name="FileName">The file name the line is for.</param>
/// <param name="Origin">Where it came from, for messages: <c>path/foo.hash:3</c> or <c>Hash metadata</c>.</param>
internal sealed record HashEntry(string Algorithm, string ExpectedHex, string FileName, string Origin)
{
    /// <summary>The hash file line, for MSBuild to point at; null for the <c>Hash</c> metadata.</summary>
    public SourceLocation? Location { get; init; }
}

/// <summary>
/// What check-hash would compare one file against: every entry for that file's name in the
/// package's hash files and its inline hashes.
/// </summary>
/// <param name="HashFileFound">True when the package has a hash file, or inline hashes for this file.</param>
/// <param name="Entries">The entries naming this file, in file order.</param>
/// <param name="HashFilesRead">The hash files read, for messages and stamps.</param>
internal sealed record HashExpectations(bool HashFileFound, ImmutableArray<HashEntry> Entries, ImmutableArray<string> HashFilesRead)
{
    /// <summary>
    /// The size and time of each of <see cref="HashFilesRead"/> when it was read (same order): a
    /// stamp records them, so that a later build can tell the hash files unchanged without reading
    /// them. Empty when one was written too recently to tell (<see cref="FileFingerprint.IsSettledAt"/>).
    /// </summary>
    public ImmutableArray<FileFingerprint> HashFilesAsRead { get; init; } = ImmutableArray<FileFingerprint>.Empty;

    /// <summary>The algorithms to compute while a copy streams in: those listed that check-hash knows.</summary>
    public IEnumerable<string> KnownAlgorithms => Entries.Select(entry => entry.Algorithm).Where(HashAlgorithms.IsKnown).Distinct(StringComparer.Ordinal);

    /// <summary>
    /// Reads <paramref name="hashFiles"/> (each must exist and be well formed: see
    /// <see cref="HashFileSet.Read"/>) and keeps the lines naming <paramref name="fileName"/>;
    /// <paramref name="inlineHashes"/> apply to it too.
    /// </summary>
    public static HashExpectations Load(string fileName, IEnumerable<string> hashFiles, IEnumerable<HashEntry> inlineHashes) =>
        HashFileSet.Read(hashFiles).ExpectationsFor(fileName, inlineHashes);
}
