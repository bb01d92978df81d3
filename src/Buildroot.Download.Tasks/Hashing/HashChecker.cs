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
        throw new NotImplementedException("Hashing room: to be written.");
}
