using System.Text;
using System.Text.RegularExpressions;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// The shell-style patterns of make's <c>$(wildcard …)</c>: <c>*</c>, <c>?</c> and <c>[…]</c>
/// within one path segment. The matches are sorted (as make 4.3 and later sort them) and keep the
/// pattern's form: relative patterns give relative names.
/// </summary>
internal static class FileGlob
{
    public static IEnumerable<string> Match(string topDirectory, string pattern)
    {
        bool rooted = pattern.StartsWith('/');
        string[] segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> found = [rooted ? "/" : string.Empty];
        for (int i = 0; i < segments.Length; i++)
        {
            string segment = segments[i];
            bool last = i == segments.Length - 1;
            found = found.SelectMany(prefix => Step(topDirectory, prefix, segment, last)).ToList();
        }

        return found.Where(match => match.Length > 0).Order(StringComparer.Ordinal);
    }

    private static IEnumerable<string> Step(string top, string prefix, string segment, bool last)
    {
        string folder = Path.Combine(top, prefix.Length == 0 ? "." : prefix);
        if (segment.IndexOfAny(['*', '?', '[']) < 0)
        {
            string candidate = Join(prefix, segment);
            string full = Path.Combine(top, candidate);
            return (last ? File.Exists(full) || Directory.Exists(full) : Directory.Exists(full)) ? [candidate] : [];
        }

        if (!Directory.Exists(folder))
        {
            return [];
        }

        Regex regex = ToRegex(segment);
        IEnumerable<string> entries = last ? Directory.EnumerateFileSystemEntries(folder) : Directory.EnumerateDirectories(folder);
        return entries
            .Select(Path.GetFileName)
            .Where(name => name is not null && (segment.StartsWith('.') || !name.StartsWith('.')) && regex.IsMatch(name))
            .Select(name => Join(prefix, name!))
            .ToList();
    }

    private static string Join(string prefix, string name) =>
        prefix.Length == 0 ? name : prefix.EndsWith('/') ? prefix + name : $"{prefix}/{name}";

    private static Regex ToRegex(string segment)
    {
        var pattern = new StringBuilder("^");
        for (int i = 0; i < segment.Length; i++)
        {
            char c = segment[i];
            switch (c)
            {
                case '*':
                    pattern.Append(".*");
                    break;
                case '?':
                    pattern.Append('.');
                    break;
                case '[' when segment.IndexOf(']', i + 1) is var close and > 0:
                    string set = segment[(i + 1)..close];
                    pattern.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                    i = close;
                    break;
                default:
                    pattern.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
