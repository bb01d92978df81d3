using System.Globalization;
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
/// </summary>
internal static class VerifiedStamp
{
    private const string Header = "brdl-verified 1";

    public static bool Vouches(string stampPath, string filePath, HashExpectations expected)
    {
        try
        {
            if (expected.Entries.IsEmpty)
            {
                return false;
            }

            // No stamp is the usual case for a file not yet checked: the read's FileNotFound says so.
            string[] lines = SmallTextFile.ReadLines(stampPath);
            var file = new FileInfo(filePath);
            if (lines.Length < 2 || lines[0] != Header || lines[1] != Fingerprint(file))
            {
                return false;
            }

            var verified = lines.Skip(2).ToHashSet(StringComparer.Ordinal);
            return expected.Entries.All(entry => verified.Contains(Key(entry)));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Records that <paramref name="filePath"/> matched <paramref name="verified"/>; best effort (a read-only shared folder just means no stamp).</summary>
    public static void Write(string stampPath, string filePath, IEnumerable<HashEntry> verified)
    {
        string temporary = TemporaryFiles.NameFor(stampPath);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(stampPath)!);
            File.WriteAllLines(temporary, new[] { Header, Fingerprint(new FileInfo(filePath)) }.Concat(verified.Select(Key).Distinct()));
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

    private static string Fingerprint(FileInfo file) =>
        string.Create(CultureInfo.InvariantCulture, $"{file.Length} {file.LastWriteTimeUtc.Ticks}");

    private static string Key(HashEntry entry) => $"{entry.Algorithm}:{entry.ExpectedHex.ToLowerInvariant()}";
}
