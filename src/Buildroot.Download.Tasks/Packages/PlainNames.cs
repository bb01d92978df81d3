using System.Text.RegularExpressions;

namespace Buildroot.Download.Tasks.Packages;

/// <summary>
/// The names that become file and folder names under the download folder. Each must be one
/// plain path segment, so that no value can reach outside its package's folder.
/// </summary>
internal static partial class PlainNames
{
    /// <summary>Null when <paramref name="name"/> is a single, ordinary path segment, else what is wrong.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "is empty";
        }

        if (name is "." or "..")
        {
            return "names a folder ('.' or '..'), not a file";
        }

        if (name.IndexOfAny(['/', '\\']) >= 0 || Path.IsPathRooted(name))
        {
            return "holds a path separator; it must be a plain name";
        }

        return name.Any(char.IsControl) ? "holds a control character" : null;
    }

    /// <summary>What Buildroot's <c>notdir</c> keeps of a download entry: the last segment of a URL, or the bare name.</summary>
    public static string FileNameOf(string entry) =>
        IsUrl(entry) ? entry[(entry.LastIndexOf('/') + 1)..] : entry;

    /// <summary>A full URL (Buildroot tests <c>findstring ://</c>) rather than a name fetched from the site.</summary>
    public static bool IsUrl(string entry) => entry.Contains("://", StringComparison.Ordinal);

    public static bool IsValidPackageName(string name) => PackageName().IsMatch(name);

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._+-]*\z")]
    private static partial Regex PackageName();
}
