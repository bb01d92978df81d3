using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Hashing;

/// <summary>check-hash: compares a file with its expected hashes, reading it once.</summary>
internal static class HashChecker
{
    /// <summary>
    /// Checks <paramref name="filePath"/> against <paramref name="expected"/>. Digests in
    /// <paramref name="knownDigests"/> (algorithm → hex, computed while downloading) are used
    /// instead of reading the file when they cover every expected algorithm.
    /// </summary>
    public static Task<HashCheckResult> CheckAsync(
        string filePath,
        HashExpectations expected,
        IReadOnlyDictionary<string, string>? knownDigests,
        CancellationToken cancellationToken) =>
        CheckAsync(filePath, expected, knownDigests, OpenForHashing, cancellationToken);

    /// <summary>The same, reading the file through <paramref name="open"/> (a test seam that can count reads).</summary>
    internal static async Task<HashCheckResult> CheckAsync(
        string filePath,
        HashExpectations expected,
        IReadOnlyDictionary<string, string>? knownDigests,
        Func<string, Stream> open,
        CancellationToken cancellationToken)
    {
        if (!File.Exists(filePath))
        {
            throw new BrdlException(FailureScope.Package, MessageCodes.FileToVerifyMissing, $"Cannot check the hashes of {filePath}: the file does not exist.");
        }

        // The outcomes come in check-hash's order: nothing to compare with, then nothing for
        // this file, then a line we cannot judge; only then are digests worth computing.
        if (!expected.HashFileFound)
        {
            return Result(HashCheckOutcome.NoHashFile);
        }

        if (expected.Entries.IsEmpty)
        {
            return Result(HashCheckOutcome.NotListed);
        }

        if (expected.Entries.Any(entry => !HashAlgorithms.IsKnown(entry.Algorithm)))
        {
            return Result(HashCheckOutcome.UnknownAlgorithm);
        }

        string[] algorithms = expected.Entries.Select(entry => entry.Algorithm).Distinct(StringComparer.Ordinal).ToArray();
        IReadOnlyDictionary<string, string> actual = knownDigests is not null && algorithms.All(knownDigests.ContainsKey)
            ? knownDigests
            : await HashOnceAsync(filePath, algorithms, open, cancellationToken).ConfigureAwait(false);

        var verified = ImmutableArray.CreateBuilder<HashEntry>();
        var mismatches = ImmutableArray.CreateBuilder<HashMismatch>();
        foreach (HashEntry entry in expected.Entries)
        {
            string actualHex = actual[entry.Algorithm];
            if (string.Equals(actualHex, entry.ExpectedHex, StringComparison.OrdinalIgnoreCase))
            {
                verified.Add(entry);
            }
            else
            {
                mismatches.Add(new HashMismatch(entry, actualHex.ToLowerInvariant()));
            }
        }

        return new HashCheckResult(
            mismatches.Count == 0 ? HashCheckOutcome.Good : HashCheckOutcome.Mismatch,
            verified.ToImmutable(),
            mismatches.ToImmutable());
    }

    private static async Task<IReadOnlyDictionary<string, string>> HashOnceAsync(
        string filePath,
        string[] algorithms,
        Func<string, Stream> open,
        CancellationToken cancellationToken)
    {
        try
        {
            await using Stream stream = open(filePath);
            return await MultiHasher.HashStreamAsync(stream, algorithms, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            throw new BrdlException(FailureScope.Package, MessageCodes.FileToVerifyMissing, $"Cannot check the hashes of {filePath}: the file disappeared while it was being checked.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Package, MessageCodes.FileToVerifyUnreadable, $"Cannot read {filePath} to check its hashes: {e.Message}", e);
        }
    }

    private static Stream OpenForHashing(string path) =>
        new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);

    private static HashCheckResult Result(HashCheckOutcome outcome) =>
        new(outcome, ImmutableArray<HashEntry>.Empty, ImmutableArray<HashMismatch>.Empty);
}
