using System.Collections.Immutable;
using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Release;

/// <summary>Digests of whole files, for the release targets (the SBOM, legal-info's list, hash updates).</summary>
internal static class FileDigests
{
    /// <summary>The digests of <paramref name="path"/> for <paramref name="algorithms"/> (hash-file names: sha256, md5, …), in one read.</summary>
    public static async Task<ImmutableDictionary<string, string>> OfAsync(string path, IEnumerable<string> algorithms, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            return await MultiHasher.HashStreamAsync(stream, algorithms, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Package, MessageCodes.FileToVerifyUnreadable, $"Cannot read {path} to compute its digest: {e.Message}", e);
        }
    }

    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken) =>
        (await OfAsync(path, ["sha256"], cancellationToken).ConfigureAwait(false))["sha256"];
}
