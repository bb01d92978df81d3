namespace Buildroot.Download.Tasks.Packages;

/// <summary>Buildroot's two forms of a version: the one handed to backends, and the one used in names.</summary>
internal static class PackageVersions
{
    private static readonly char[] Blanks = [' ', '\t', '\r', '\n'];

    /// <summary>
    /// <c>FOO_DL_VERSION</c> is <c>$(strip FOO_VERSION)</c> (runs of blanks become one space); the
    /// sanitized version has <c>/</c>, <c>:</c> and spaces replaced by <c>_</c>.
    /// </summary>
    public static (string DlVersion, string Sanitized) Normalize(string version)
    {
        string dlVersion = string.Join(' ', version.Split(Blanks, StringSplitOptions.RemoveEmptyEntries));
        return (dlVersion, dlVersion.Replace('/', '_').Replace(':', '_').Replace(' ', '_'));
    }
}
