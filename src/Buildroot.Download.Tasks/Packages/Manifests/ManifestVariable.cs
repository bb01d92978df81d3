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
/// A <c>FOO_…</c> variable that goes into a package's metadata, read after the infrastructure
/// set its defaults and a host package's inherited values. <see cref="Downloads"/>: it decides
/// what is downloaded, so a package whose value cannot be known is left out; otherwise (legal
/// information) only the value is left unset.
/// </summary>
internal sealed record ManifestVariable(string Suffix, string Metadata, ValueKind Kind, bool Downloads)
{
    public static readonly IReadOnlyList<ManifestVariable> All =
    [
        new("DL_VERSION", PackageMetadata.Version, ValueKind.Text, Downloads: true),
        new("SITE", PackageMetadata.Site, ValueKind.Text, Downloads: true),
        new("SOURCE", PackageMetadata.Source, ValueKind.Text, Downloads: true),
        new("EXTRA_DOWNLOADS", PackageMetadata.ExtraDownloads, ValueKind.List, Downloads: true),
        new("PATCH", PackageMetadata.Patch, ValueKind.List, Downloads: true),
        new("DL_SUBDIR", PackageMetadata.DlSubdir, ValueKind.Text, Downloads: true),
        new("DL_OPTS", PackageMetadata.DlOpts, ValueKind.Raw, Downloads: true),
        new("GIT_SUBMODULES", PackageMetadata.GitSubmodules, ValueKind.NonEmpty, Downloads: true),
        new("GIT_LFS", PackageMetadata.GitLfs, ValueKind.NonEmpty, Downloads: true),
        new("SVN_EXTERNALS", PackageMetadata.SvnExternals, ValueKind.Yes, Downloads: true),
        new("TRANSIENT_DOWNLOAD", PackageMetadata.TransientDownload, ValueKind.Yes, Downloads: true),
        new("DOWNLOAD_POST_PROCESS", PackageMetadata.DownloadPostProcess, ValueKind.Text, Downloads: true),
        new("LICENSE", PackageMetadata.License, ValueKind.Text, Downloads: false),
        new("LICENSE_FILES", PackageMetadata.LicenseFiles, ValueKind.List, Downloads: false),
        new("REDISTRIBUTE", PackageMetadata.Redistribute, ValueKind.Yes, Downloads: false),

        // Not for the download: for the SBOM's CPE.
        new("CPE_ID_VENDOR", PackageMetadata.CpeIdVendor, ValueKind.Text, Downloads: false),
        new("CPE_ID_PRODUCT", PackageMetadata.CpeIdProduct, ValueKind.Text, Downloads: false),
        new("CPE_ID_VERSION", PackageMetadata.CpeIdVersion, ValueKind.Text, Downloads: false),
        new("CPE_ID_UPDATE", PackageMetadata.CpeIdUpdate, ValueKind.Text, Downloads: false),
        new("CPE_ID_PREFIX", PackageMetadata.CpeIdPrefix, ValueKind.Text, Downloads: false),
        new("CPE_ID_VALID", PackageMetadata.CpeIdValid, ValueKind.Yes, Downloads: false),
    ];

    /// <summary>Buildroot's <c>UPPERCASE</c>: letters upper-cased, <c>-</c> and <c>.</c> turned into <c>_</c>.</summary>
    public static string Prefix(string packageName) =>
        packageName.ToUpperInvariant().Replace('-', '_').Replace('.', '_');

    /// <summary>Buildroot's <c>LOWERCASE</c>: letters lower-cased, <c>_</c> turned into <c>-</c>.</summary>
    public static string Lowercase(string text) =>
        text.ToLowerInvariant().Replace('_', '-');
}
