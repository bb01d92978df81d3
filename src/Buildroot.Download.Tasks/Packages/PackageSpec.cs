using System.Collections.Immutable;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Packages;

/// <summary>
/// One package as the download pipeline sees it: the counterpart of Buildroot's
/// <c>FOO_…</c> variables after defaults are applied and every value is validated
/// (see <see cref="PackageSpecFactory"/>). Immutable; paths in it are safe to join under
/// the download folder.
/// </summary>
internal sealed record PackageSpec
{
    /// <summary>The package name as given (<c>host-foo</c> stays <c>host-foo</c>).</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Where the package is declared, for MSBuild to point its errors at: the manifest's
    /// <c>$(eval $(…-package))</c> line, or the <c>BuildrootPackage</c> item in its project.
    /// Found when first asked (see <see cref="Declaration"/>): only messages ask.
    /// </summary>
    public SourceLocation? Location => Declaration?.Value;

    /// <summary>Finds <see cref="Location"/>; null when the package was not declared in a file.</summary>
    public DeferredLocation? Declaration { get; init; }

    /// <summary>
    /// <c>FOO_VERSION</c> as given, unsanitized (Buildroot's <c>FOO_DL_VERSION</c>): shown in
    /// messages and, for VCS methods, handed to the backend as the changeset.
    /// </summary>
    public required string Version { get; init; }

    /// <summary>The version with <c>/</c>, <c>:</c> and spaces replaced by <c>_</c>, for file and folder names.</summary>
    public required string SanitizedVersion { get; init; }

    /// <summary><c>FOO_SITE</c>, or null for a package with nothing to fetch from a site.</summary>
    public string? Site { get; init; }

    /// <summary><c>FOO_SITE_METHOD</c>, lower case: wget, curl, git, svn, hg, bzr, cvs, scp, sftp, file, local.</summary>
    public required string SiteMethod { get; init; }

    /// <summary>The row of the method table for <see cref="SiteMethod"/>.</summary>
    public DownloadMethod Method => DownloadMethods.Get(SiteMethod);

    /// <summary>
    /// The method as Buildroot writes it in show-info: <c>FOO_SITE_METHOD</c> as given, else the
    /// site's scheme (<c>https</c>, not our <c>wget</c>); empty without a site.
    /// </summary>
    public string BuildrootMethod { get; init; } = string.Empty;

    /// <summary>
    /// <c>FOO_SOURCE</c>: the main file's name in the package's download folder; empty for a
    /// package without version and source that only fetches patches or extra downloads.
    /// </summary>
    public required string Source { get; init; }

    /// <summary><c>FOO_EXTRA_DOWNLOADS</c>: bare names (fetched from the site) or full URLs.</summary>
    public ImmutableArray<string> ExtraDownloads { get; init; } = ImmutableArray<string>.Empty;

    /// <summary><c>FOO_PATCH</c>: bare names (fetched from the site) or full URLs.</summary>
    public ImmutableArray<string> Patches { get; init; } = ImmutableArray<string>.Empty;

    /// <summary><c>FOO_DL_SUBDIR</c>: the package's folder under the download folder.</summary>
    public required string DlSubdir { get; init; }

    /// <summary><c>FOO_DL_OPTS</c>, already split into separate arguments.</summary>
    public ImmutableArray<string> DlOpts { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>Hash files to check, in order (absolute paths); each must exist.</summary>
    public ImmutableArray<string> HashFiles { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>The <c>Hash</c> metadata, parsed: extra hashes for the main file (<see cref="Source"/>).</summary>
    public ImmutableArray<HashEntry> InlineHashes { get; init; } = ImmutableArray<HashEntry>.Empty;

    public bool TransientDownload { get; init; }

    public bool GitSubmodules { get; init; }

    public bool GitLfs { get; init; }

    public bool SvnExternals { get; init; }

    /// <summary><c>FOO_DOWNLOAD_POST_PROCESS</c>: null, <c>cargo</c> or <c>go</c>.</summary>
    public string? DownloadPostProcess { get; init; }

    /// <summary>The Cargo manifest inside the archive, relative to its top folder (default <c>Cargo.toml</c>).</summary>
    public string? CargoManifest { get; init; }

    /// <summary>The folder holding <c>go.mod</c> inside the archive, relative to its top folder.</summary>
    public string? GoSubdir { get; init; }

    public string? License { get; init; }

    public string? LicenseFiles { get; init; }

    public bool Redistribute { get; init; } = true;

    /// <summary>
    /// Buildroot's <c>FOO_CPE_ID</c> (<see cref="CpeIds"/>): null unless a <c>CpeId…</c> metadata
    /// is set, as in Buildroot, where a package has a CPE only when one of its <c>FOO_CPE_ID_*</c> is.
    /// </summary>
    public string? CpeId { get; init; }

    /// <summary><see cref="LicenseFiles"/> one by one (Buildroot separates them with blanks, MSBuild with <c>;</c>).</summary>
    public ImmutableArray<string> LicenseFileList =>
        (LicenseFiles ?? string.Empty).Split([' ', '\t', ';'], StringSplitOptions.RemoveEmptyEntries).ToImmutableArray();

    /// <summary>
    /// <c>&lt;raw name&gt;-&lt;sanitized version&gt;</c> (Buildroot's <c>BASENAME_RAW</c>): the top folder
    /// of generated archives and the start of default file names; the raw name alone when there
    /// is no version.
    /// </summary>
    public string BaseName => SanitizedVersion.Length == 0 ? RawName : $"{RawName}-{SanitizedVersion}";

    /// <summary>
    /// The name without a <c>host-</c> prefix, as Buildroot's <c>RAWNAME</c>: what a git cache
    /// or a mirror folder is named after.
    /// </summary>
    public string RawName => RawNameOf(Name);

    /// <summary><see cref="RawName"/> of a package called <paramref name="name"/>.</summary>
    public static string RawNameOf(string name) =>
        name.StartsWith("host-", StringComparison.Ordinal) ? name["host-".Length..] : name;
}
