namespace Buildroot.Download.Tasks.Hashing;

/// <summary>Turns a hash check's result into the text a user reads, after check-hash's wording.</summary>
internal static class HashReport
{
    public static string Describe(HashCheckResult result, string shownPath) =>
        result.Outcome switch
        {
            HashCheckOutcome.Mismatch => string.Join(
                Environment.NewLine,
                result.Mismatches.Select(m =>
                    $"{shownPath} has wrong {m.Expected.Algorithm} hash (from {m.Expected.Origin}): expected {m.Expected.ExpectedHex}, got {m.ActualHex}.")
                .Append("Incomplete download, or man-in-the-middle (MITM) attack.")),
            HashCheckOutcome.NotListed => $"{shownPath} has no hash in the hash files, so it cannot be checked: add a line '<algo> <hex> {Path.GetFileName(shownPath)}'.",
            HashCheckOutcome.UnknownAlgorithm => $"{shownPath}: a hash file names an algorithm that is not one of md5, sha1, sha224, sha256, sha384, sha512.",
            HashCheckOutcome.NoHashFile => $"no hash file for {shownPath}.",
            _ => $"{shownPath} matches its hashes.",
        };
}
