using System.Text;

namespace Buildroot.Download.Tasks.Hashing;

/// <summary>
/// The text a user reads about a hash check, worded after check-hash's own messages so that
/// people who know Buildroot recognise them.
/// </summary>
internal static class HashCheckReport
{
    private const string MitmWarning = "Incomplete download, or man-in-the-middle (MITM) attack.";

    /// <param name="fileName">The file's final name, as hash files list it.</param>
    /// <param name="result">What <see cref="HashChecker"/> found.</param>
    /// <param name="expected">What it compared with.</param>
    public static string Describe(string fileName, HashCheckResult result, HashExpectations expected) =>
        result.Outcome switch
        {
            HashCheckOutcome.Good => string.Join(
                " ",
                result.Verified.Select(entry => $"{fileName}: OK ({entry.Algorithm}: {entry.ExpectedHex}, from {entry.Origin})")),
            HashCheckOutcome.Mismatch => DescribeMismatches(fileName, result),
            HashCheckOutcome.NotListed =>
                $"No hash found for {fileName} in {string.Join(", ", expected.HashFilesRead)}. " +
                $"Add a line 'sha256 <hex> {fileName}' to one of them, with the digest its authors publish " +
                $"(or that `sha256sum {fileName}` gives on a copy you trust).",
            HashCheckOutcome.NoHashFile => NoHashFile(fileName, "its content is not checked"),
            HashCheckOutcome.UnknownAlgorithm => string.Join(
                " ",
                expected.Entries
                    .Where(entry => !HashAlgorithms.IsKnown(entry.Algorithm))
                    .Select(entry => $"Unknown hash '{entry.Algorithm}' for '{fileName}' ({entry.Origin}); known hashes are {string.Join(", ", HashAlgorithms.Names)}.")),
            _ => throw new ArgumentOutOfRangeException(nameof(result), result.Outcome, "Not a hash check outcome."),
        };

    /// <summary>
    /// BRDL0201 in one wording, whether the file is let through or refused: what became of it, then
    /// how to give it a hash.
    /// </summary>
    /// <param name="outcome">"its content is not checked", "refused, as BuildrootForceCheckHashes is set".</param>
    public static string NoHashFile(string fileName, string outcome) =>
        $"No hash file for {fileName}: {outcome}. Write a hash file with a line 'sha256 <hex> {fileName}' " +
        "(HashFiles, or <name>.hash beside the manifest), or give the Hash metadata sha256:<hex>.";

    /// <summary>One line, as every message: "foo.tar.gz has wrong sha256 hash (from foo.hash:3): expected …, got …."</summary>
    private static string DescribeMismatches(string fileName, HashCheckResult result)
    {
        var text = new StringBuilder();
        foreach (HashMismatch mismatch in result.Mismatches)
        {
            text.Append($"{fileName} has wrong {mismatch.Expected.Algorithm} hash (from {mismatch.Expected.Origin}): ")
                .Append($"expected {mismatch.Expected.ExpectedHex}, got {mismatch.ActualHex}. ");
        }

        return text.Append(MitmWarning).ToString();
    }
}
