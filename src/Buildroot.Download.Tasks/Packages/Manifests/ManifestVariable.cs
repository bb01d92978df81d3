namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>What a manifest variable means for <see cref="PackageMetadata"/>, and how its Make value is read.</summary>
internal enum ValueKind
{
    /// <summary>One value, blanks stripped as <c>$(strip …)</c> does.</summary>
    Text,

    /// <summary>Blank-separated words, given to MSBuild <c>;</c>-separated.</summary>
    List,

    /// <summary>Kept whole (split later, as the shell would).</summary>
    Raw,

    /// <summary>On when it is exactly <c>YES</c>, as Buildroot tests <c>ifeq (…,YES)</c> / <c>$(filter YES,…)</c>.</summary>
    Yes,

    /// <summary>On when it is not empty, as Buildroot tests <c>$(if $(FOO_GIT_SUBMODULES),…)</c>.</summary>
    NonEmpty,
}

/// <summary>
/// A <c>FOO_…</c> variable that affects the download. <see cref="Inherited"/>: a host package
/// without <c>HOST_FOO_…</c> takes <c>FOO_…</c> (the list pkg-generic.mk inherits).
/// <see cref="Essential"/>: when its value cannot be known the package is skipped; otherwise
/// the value is left unset.
/// </summary>
internal sealed record ManifestVariable(string Suffix, string Metadata, ValueKind Kind, bool Inherited, bool Essential)
{
    public static readonly IReadOnlyList<ManifestVariable> All =
    [
        new("VERSION", PackageMetadata.Version, ValueKind.Text, Inherited: true, Essential: true),
        new("SITE", PackageMetadata.Site, ValueKind.Text, Inherited: true, Essential: false),
        new("SITE_METHOD", PackageMetadata.SiteMethod, ValueKind.Text, Inherited: true, Essential: true),
        new("SOURCE", PackageMetadata.Source, ValueKind.Text, Inherited: true, Essential: true),
        new("EXTRA_DOWNLOADS", PackageMetadata.ExtraDownloads, ValueKind.List, Inherited: false, Essential: true),
        new("PATCH", PackageMetadata.Patch, ValueKind.List, Inherited: true, Essential: true),
        new("DL_SUBDIR", PackageMetadata.DlSubdir, ValueKind.Text, Inherited: false, Essential: true),
        new("DL_OPTS", PackageMetadata.DlOpts, ValueKind.Raw, Inherited: true, Essential: true),
        new("GIT_SUBMODULES", PackageMetadata.GitSubmodules, ValueKind.NonEmpty, Inherited: false, Essential: true),
        new("GIT_LFS", PackageMetadata.GitLfs, ValueKind.NonEmpty, Inherited: false, Essential: true),
        new("SVN_EXTERNALS", PackageMetadata.SvnExternals, ValueKind.Yes, Inherited: false, Essential: true),
        new("TRANSIENT_DOWNLOAD", PackageMetadata.TransientDownload, ValueKind.Yes, Inherited: false, Essential: true),
        new("DOWNLOAD_POST_PROCESS", PackageMetadata.DownloadPostProcess, ValueKind.Text, Inherited: false, Essential: true),
        new("LICENSE", PackageMetadata.License, ValueKind.Text, Inherited: true, Essential: false),
        new("LICENSE_FILES", PackageMetadata.LicenseFiles, ValueKind.List, Inherited: true, Essential: false),
        new("REDISTRIBUTE", PackageMetadata.Redistribute, ValueKind.Yes, Inherited: true, Essential: false),

        // Not for the download: for the SBOM's CPE (pkg-generic.mk: a host package takes the target's).
        new("CPE_ID_VENDOR", PackageMetadata.CpeIdVendor, ValueKind.Text, Inherited: true, Essential: false),
        new("CPE_ID_PRODUCT", PackageMetadata.CpeIdProduct, ValueKind.Text, Inherited: true, Essential: false),
        new("CPE_ID_VERSION", PackageMetadata.CpeIdVersion, ValueKind.Text, Inherited: true, Essential: false),
        new("CPE_ID_UPDATE", PackageMetadata.CpeIdUpdate, ValueKind.Text, Inherited: true, Essential: false),
        new("CPE_ID_PREFIX", PackageMetadata.CpeIdPrefix, ValueKind.Text, Inherited: true, Essential: false),
        new("CPE_ID_VALID", PackageMetadata.CpeIdValid, ValueKind.Yes, Inherited: true, Essential: false),
    ];

    /// <summary>Buildroot's <c>UPPERCASE</c>: letters upper-cased, <c>-</c> and <c>.</c> turned into <c>_</c>.</summary>
    public static string Prefix(string packageName) =>
        packageName.ToUpperInvariant().Replace('-', '_').Replace('.', '_');
}
