using System.Collections.Immutable;
using Buildroot.Download.Tasks.Backends;

namespace Buildroot.Download.Tasks.Download;

/// <summary>
/// One download method (Buildroot's <c>FOO_SITE_METHOD</c>) and everything that follows from it.
/// Every method is one row of <see cref="DownloadMethods"/>.
/// </summary>
/// <param name="Name">The method's name, as <c>SiteMethod</c> takes it.</param>
/// <param name="Schemes">The URL schemes that imply this method when a site names no method.</param>
/// <param name="IsVersionControl">The version is a changeset and the archive is generated from a checkout, so a version is always needed.</param>
/// <param name="FetchesPlainFiles">It fetches <c>&lt;site&gt;/&lt;file&gt;</c> as it is, so it can fetch from mirrors.</param>
/// <param name="NeedsSite">A package must name a site; only methods that mirrors alone can serve do without.</param>
/// <param name="HashesCanBeChecked">
/// False when the archives it makes are not reproducible: then, as in Buildroot, its sources are
/// on the no-check list (a hash file that does not list them is no failure).
/// </param>
/// <param name="ArchiveSuffix">
/// The suffix naming the format of the archives it generates (<c>-git4</c>, <c>-svn5</c>), so
/// that a change of format never meets a hash recorded for the old one.
/// </param>
/// <param name="CreateBackend">Makes its backend; null for a method with nothing to download (<c>local</c>).</param>
internal sealed record DownloadMethod(
    string Name,
    ImmutableArray<string> Schemes,
    bool IsVersionControl,
    bool FetchesPlainFiles,
    bool NeedsSite,
    bool HashesCanBeChecked,
    string ArchiveSuffix,
    Func<IDownloadBackend>? CreateBackend)
{
    /// <summary>False for <c>local</c>: a folder used in place, never downloaded.</summary>
    public bool Downloads => CreateBackend is not null;

    public override string ToString() => Name;
}
