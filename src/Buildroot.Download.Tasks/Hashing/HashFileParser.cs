using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Hashing;

/// <summary>
/// The hash file format Buildroot's check-hash reads with <c>read t h f</c>: one hash a line,
/// <c>&lt;algo&gt; &lt;hex&gt; &lt;file name&gt;</c>, fields separated by any run of blanks,
/// leading blanks allowed, empty lines and <c>#</c> comments skipped.
/// </summary>
internal static class HashFileParser
{
    private static readonly char[] Blanks = [' ', '\t', '\r'];

    /// <summary>Every hash line of <paramref name="lines"/>; a malformed one throws, naming <c>file:line</c>.</summary>
    public static IEnumerable<HashEntry> Parse(string hashFile, IReadOnlyList<string> lines)
    {
        for (int index = 0; index < lines.Count; index++)
        {
            string origin = $"{hashFile}:{index + 1}";
            var location = new SourceLocation(hashFile, index + 1);
            string line = lines[index].Trim(Blanks);
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string algorithm = NextField(ref line);
            string hex = NextField(ref line);
            string fileName = line; // like `read`'s last variable: the rest of the line, blanks trimmed
            if (fileName.Length == 0)
            {
                throw Malformed(origin, location, $"expected '<algo> <hex> <file name>', found '{QuotedText.Cut(lines[index].Trim(Blanks))}'");
            }

            // An algorithm we do not know is check-hash's exit 4 for the file it names, not a syntax
            // error: its digest cannot be judged, so it is kept as written.
            if (HashAlgorithms.IsKnown(algorithm) && HashAlgorithms.DescribeBadDigest(algorithm, hex) is { } problem)
            {
                throw Malformed(origin, location, problem);
            }

            yield return new HashEntry(algorithm, hex.ToLowerInvariant(), fileName, origin) { Location = location };
        }
    }

    private static string NextField(ref string rest)
    {
        int end = rest.IndexOfAny(Blanks);
        string field = end < 0 ? rest : rest[..end];
        rest = end < 0 ? string.Empty : rest[end..].TrimStart(Blanks);
        return field;
    }

    private static BrdlException Malformed(string origin, SourceLocation location, string problem) =>
        new(FailureScope.Package, MessageCodes.MalformedHashFile, $"{origin}: malformed hash line: {problem}. Each line reads '<algo> <hex> <file name>', for example 'sha256 <64 hex digits> foo-1.0.tar.gz'.")
        {
            Location = location,
        };
}
