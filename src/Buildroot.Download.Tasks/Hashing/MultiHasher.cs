using System.Collections.Immutable;
using System.Security.Cryptography;

namespace Buildroot.Download.Tasks.Hashing;

/// <summary>
/// Computes several digests of one stream of bytes in a single pass, so a file is read
/// once whatever the number of hashes listed for it (and a download can be hashed while
/// it streams to disk).
/// </summary>
internal sealed class MultiHasher : IDisposable
{
    private readonly Dictionary<string, IDigest> _digests = new(StringComparer.Ordinal);

    /// <param name="algorithms">Algorithm names as in hash files (md5 … sha512); duplicates are computed once.</param>
    public MultiHasher(IEnumerable<string> algorithms)
    {
        foreach (string algorithm in algorithms.Distinct(StringComparer.Ordinal))
        {
            if (!HashAlgorithms.IsKnown(algorithm))
            {
                throw new ArgumentException($"Unknown hash algorithm '{algorithm}'.", nameof(algorithms));
            }

            // .NET has no SHA-224; the others are named as in hash files, in upper case (MD5, SHA1, SHA256…).
            _digests[algorithm] = algorithm == "sha224"
                ? new Sha224AsDigest(new Sha224Digest())
                : new IncrementalDigest(IncrementalHash.CreateHash(new HashAlgorithmName(algorithm.ToUpperInvariant())));
        }
    }


    public void Append(ReadOnlySpan<byte> data)
    {
        foreach (IDigest digest in _digests.Values)
        {
            digest.Append(data);
        }
    }

    /// <summary>The digests as lower-case hex, by algorithm name. Call once.</summary>
    public ImmutableDictionary<string, string> Finish() =>
        _digests.ToImmutableDictionary(
            pair => pair.Key,
            pair => Convert.ToHexString(pair.Value.Finish()).ToLowerInvariant(),
            StringComparer.Ordinal);

    /// <summary>Reads <paramref name="stream"/> to its end once and returns its digests for <paramref name="algorithms"/>.</summary>
    public static async Task<ImmutableDictionary<string, string>> HashStreamAsync(
        Stream stream,
        IEnumerable<string> algorithms,
        CancellationToken cancellationToken)
    {
        using var hasher = new MultiHasher(algorithms);
        byte[] buffer = new byte[1 << 20];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hasher.Append(buffer.AsSpan(0, read));
        }

        return hasher.Finish();
    }

    public void Dispose()
    {
        foreach (IDigest digest in _digests.Values)
        {
            digest.Dispose();
        }
    }

    private interface IDigest : IDisposable
    {
        void Append(ReadOnlySpan<byte> data);

        byte[] Finish();
    }

    private sealed class Sha224AsDigest(Sha224Digest sha224) : IDigest
    {
        public void Append(ReadOnlySpan<byte> data) => sha224.Append(data);

        public byte[] Finish() => sha224.Finish();

        public void Dispose()
        {
        }
    }

    private sealed class IncrementalDigest(IncrementalHash hash) : IDigest
    {
        public void Append(ReadOnlySpan<byte> data) => hash.AppendData(data);

        public byte[] Finish() => hash.GetHashAndReset();

        public void Dispose() => hash.Dispose();
    }
}
