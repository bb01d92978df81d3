using System.Text.RegularExpressions;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// Turns a package's site into the CVSROOT given to <c>cvs -d</c>, as Buildroot's
/// <c>support/download/cvs</c> does: a leading <c>scheme://</c> (<c>cvs://</c>) is dropped, and a
/// root that does not start with <c>:</c> names no access method, so it means anonymous pserver:
/// <c>cvs.example.org:/cvsroot</c> becomes <c>:pserver:anonymous@cvs.example.org:/cvsroot</c>.
/// A root with a method (<c>:pserver:me@host:/path</c>, <c>:ext:…</c>, <c>:local:/path</c>) is kept.
/// </summary>
/// <remarks>
/// One refinement over Buildroot: a root that already names a user (<c>guest@host:/path</c>)
/// becomes <c>:pserver:guest@host:/path</c>; Buildroot would prepend <c>anonymous@</c> to it as
/// well, which gives a root cvs cannot use.
/// </remarks>
internal static partial class CvsRoot
{
    public static string FromSite(string site)
    {
        string root = UriScheme().Replace(site, string.Empty, 1);
        if (root.StartsWith(':'))
        {
            return root;
        }

        int hostEnd = root.IndexOf(':', StringComparison.Ordinal);
        bool namesUser = root.IndexOf('@', StringComparison.Ordinal) is int at and >= 0 && (hostEnd < 0 || at < hostEnd);
        return namesUser ? ":pserver:" + root : ":pserver:anonymous@" + root;
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*://")]
    private static partial Regex UriScheme();
}
