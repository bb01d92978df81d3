using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Hashing;

/// <summary>
/// One value of the <c>Hash</c> metadata: <c>algo:hex</c>, a hash for the main file given
/// in the project instead of a hash file.
/// </summary>
internal static class InlineHash
{
    /// <summary>The origin inline hashes report in messages.</summary>
    public const string Origin = "Hash metadata";

    /// <summary>
    /// Reads <paramref name="value"/> as the expected hash of <paramref name="fileName"/>: a known
    /// algorithm and a well-formed digest (lower case). Returns null with <paramref name="problem"/>
    /// saying what is wrong otherwise.
    /// </summary>
    public static HashEntry? Parse(string value, string fileName, out string problem)
    {
        if (!TryParse(value, out string algorithm, out string hex, out problem))
        {
            return null;
        }

        return new HashEntry(algorithm, hex, fileName, Origin);
    }

    private static bool TryParse(string value, out string algorithm, out string hex, out string problem)
    {
        algorithm = string.Empty;
        hex = string.Empty;
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == value.Length - 1)
        {
            problem = $"'{QuotedText.Cut(value)}' is not of the form algo:hex (for example sha256:<64 hex digits>)";
            return false;
        }

        algorithm = value[..colon].Trim().ToLowerInvariant();
        hex = value[(colon + 1)..].Trim().ToLowerInvariant();
        if (!HashAlgorithms.IsKnown(algorithm))
        {
            problem = $"'{QuotedText.Cut(algorithm)}' is not a hash algorithm check-hash knows ({string.Join(", ", HashAlgorithms.Names)})";
            return false;
        }

        problem = HashAlgorithms.DescribeBadDigest(algorithm, hex) ?? string.Empty;
        return problem.Length == 0;
    }
}
