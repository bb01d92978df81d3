using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Hashing;

/// <summary>The algorithms check-hash knows, with the length of their digests in hex.</summary>
internal static class HashAlgorithms
{
    private static readonly ImmutableDictionary<string, int> HexLengths =
        new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["md5"] = 32,
            ["sha1"] = 40,
            ["sha224"] = 56,
            ["sha256"] = 64,
            ["sha384"] = 96,
            ["sha512"] = 128,
        }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>The names as written in hash files, lower case (check-hash is case-sensitive).</summary>
    public static IEnumerable<string> Names => HexLengths.Keys.OrderBy(name => HexLengths[name]);

    public static bool IsKnown(string algorithm) => HexLengths.ContainsKey(algorithm);

    /// <summary>
    /// Null when <paramref name="hex"/> is a well-formed digest for the known
    /// <paramref name="algorithm"/>, else what is wrong with it.
    /// </summary>
    public static string? DescribeBadDigest(string algorithm, string hex)
    {
        int expectedLength = HexLengths[algorithm];
        if (!hex.All(char.IsAsciiHexDigit))
        {
            return $"'{QuotedText.Cut(hex)}' is not hexadecimal";
        }

        return hex.Length == expectedLength
            ? null
            : $"a {algorithm} digest has {expectedLength} hex digits, '{QuotedText.Cut(hex)}' has {hex.Length}";
    }
}
