using System.Collections.Immutable;
using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Download;

/// <summary>
/// Remembers that a file in the download folder passed its hashes, so that a build with
/// nothing to download re-hashes nothing: the stamp records the file's size, its last write
/// time and the hashes it matched. It vouches for the file only while size and time are
/// unchanged (any rewrite, including Buildroot's rename over it, changes them) and every hash
/// now expected is among those it matched (a new or changed hash line forces a real check).
/// A stamp that cannot be read is simply not trusted.
/// <para>
/// When the file matched every line its hash files hold for it, the stamp also records those
/// hash files with their size and time as read: while they are unchanged, the lines they hold
/// are the ones matched, so a build with nothing to download need not read them (half its
/// reads); a changed, added or removed hash file sends the check back to the lines.
/// </para>
/// </summary>
internal static class VerifiedStamp
{
    private const string Header = "brdl-verified 1";

    // "hash-files <count>", then "hash-file <size> <ticks> <path>" for each. The first readers of
    // stamps took every line after the second for a hash matched: to them these match nothing.
    private const string HashFilesCount = "hash-files ";
    private const string HashFileLine = "hash-file ";

    /// <summary>True when the stamp vouches for the file, checked against the hash lines of <paramref name="expected"/>.</summary>
    public static bool Vouches(string stampPath, string filePath, HashExpectations expected) =>
        Vouches(stampPath, filePath, hashFilesNow: null, inlineHashes: [], () => expected);

    /// <summary>
    /// True when the stamp vouches for the file, reading the hash files only when the stamp does
    /// not name them as <paramref name="hashFilesNow"/> describes them.
    /// </summary>
    /// <param name="hashFilesNow">The package's hash files as they are (<see cref="Describe"/>); null when one cannot be looked at.</param>
    /// <param name="inlineHashes">The <c>Hash</c> metadata that applies to this file: not in any hash file, so always compared.</param>
    /// <param name="expected">What the file is checked against, read from the hash files: asked only when needed.</param>
    public static bool Vouches(string stampPath, string filePath, string[]? hashFilesNow, ImmutableArray<HashEntry> inlineHashes, Func<HashExpectations> expected)
    {
        if (ReadFor(stampPath, filePath) is not { } stamp)
        {
            return false;
        }

        if (hashFilesNow is not null && NamesAll(stamp, hashFilesNow))
        {
            return MatchedAll(stamp, inlineHashes);
        }

        HashExpectations lines = expected();
        return !lines.Entries.IsEmpty && MatchedAll(stamp, lines.Entries);
    }

    /// <summary>
    /// The lines a stamp holds for <paramref name="hashFiles"/> as they are now (each path once, in
    /// order, as <see cref="HashFileSet.Read"/> reads them); null when one is missing.
    /// </summary>
    public static string[]? Describe(ImmutableArray<string> hashFiles)
    {
        var described = new List<(FileFingerprint, string)>(hashFiles.Length);
        for (int i = 0; i < hashFiles.Length; i++)
        {
            string hashFile = hashFiles[i];
            if (hashFiles.IndexOf(hashFile, 0, i, StringComparer.Ordinal) >= 0)
            {
                continue; // named twice, read once
            }

            if (FileFingerprint.Of(hashFile) is not { } fingerprint)
            {
                return null;
            }

            described.Add((fingerprint, hashFile));
        }

        return HashFileLines(described);
    }

    /// <summary>
    /// Records that <paramref name="filePath"/> matched <paramref name="verified"/>, of what
    /// <paramref name="expected"/> lists; best effort (a read-only shared folder just means no stamp).
    /// </summary>
    public static void Write(string stampPath, string filePath, IEnumerable<HashEntry> verified, HashExpectations expected)
    {
        string[] matched = verified.Select(Key).Distinct(StringComparer.Ordinal).ToArray();
        IEnumerable<string> hashFiles = expected.HashFilesAsRead.Length == expected.HashFilesRead.Length &&
            expected.Entries.All(entry => matched.Contains(Key(entry), StringComparer.Ordinal))
                ? HashFileLines([.. expected.HashFilesAsRead.Zip(expected.HashFilesRead)])
                : [];
        string temporary = TemporaryFiles.NameFor(stampPath);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(stampPath)!);
            File.WriteAllLines(temporary, new[] { Header, Fingerprint(filePath) }.Concat(matched).Concat(hashFiles));
            File.Move(temporary, stampPath, overwrite: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The stamp's lines when it is one and describes the file as it is now; null otherwise.</summary>
    private static string[]? ReadFor(string stampPath, string filePath)
    {
        try
        {
            // No stamp is the usual case for a file not yet checked: the read's FileNotFound says so.
            string[] lines = SmallTextFile.ReadLines(stampPath);
            return lines.Length >= 2 && lines[0] == Header && lines[1] == Fingerprint(filePath) ? lines : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool MatchedAll(string[] stamp, ImmutableArray<HashEntry> entries)
    {
        foreach (HashEntry entry in entries)
        {
            if (Array.IndexOf(stamp, Key(entry), 2) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the stamp records exactly the hash files of <paramref name="hashFilesNow"/>, each as it is now.</summary>
    private static bool NamesAll(string[] stamp, string[] hashFilesNow)
    {
        foreach (string line in hashFilesNow)
        {
            if (Array.IndexOf(stamp, line, 2) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The lines that name <paramref name="hashFiles"/> with their fingerprints: how a stamp records them, and how they are compared.</summary>
    private static string[] HashFileLines(List<(FileFingerprint Fingerprint, string Path)> hashFiles)
    {
        // A plain loop: this runs for every package of a build with nothing to download.
        var lines = new string[hashFiles.Count + 1];
        lines[0] = HashFilesCount + hashFiles.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < hashFiles.Count; i++)
        {
            lines[i + 1] = $"{HashFileLine}{hashFiles[i].Fingerprint} {hashFiles[i].Path}";
        }

        return lines;
    }

    /// <summary>The file's fingerprint as a stamp writes it; a missing file throws (and so is not vouched for).</summary>
    private static string Fingerprint(string filePath) =>
        FileFingerprint.Of(filePath)?.ToString() ?? throw new FileNotFoundException(null, filePath);

    private static string Key(HashEntry entry) => $"{entry.Algorithm}:{entry.ExpectedHex.ToLowerInvariant()}";
}
