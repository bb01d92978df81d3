namespace Buildroot.Download.Tasks.Packages;

/// <summary>
/// The metadata of a <c>BuildrootPackage</c> item, each the counterpart of a Buildroot
/// <c>FOO_…</c> variable (named in the comments).
/// </summary>
internal static class PackageMetadata
{
    public const string Version = nameof(Version);                         // FOO_VERSION
    public const string Site = nameof(Site);                               // FOO_SITE
    public const string SiteMethod = nameof(SiteMethod);                   // FOO_SITE_METHOD
    public const string Source = nameof(Source);                           // FOO_SOURCE
    public const string ExtraDownloads = nameof(ExtraDownloads);           // FOO_EXTRA_DOWNLOADS
    public const string Patch = nameof(Patch);                             // FOO_PATCH
    public const string DlSubdir = nameof(DlSubdir);                       // FOO_DL_SUBDIR
    public const string DlOpts = nameof(DlOpts);                           // FOO_DL_OPTS
    public const string HashFiles = nameof(HashFiles);                     // FOO_HASH_FILE (and global patch dirs)
    public const string Hash = nameof(Hash);                               // (none: hashes given inline)
    public const string TransientDownload = nameof(TransientDownload);     // FOO_TRANSIENT_DOWNLOAD
    public const string GitSubmodules = nameof(GitSubmodules);             // FOO_GIT_SUBMODULES
    public const string GitLfs = nameof(GitLfs);                           // FOO_GIT_LFS
    public const string SvnExternals = nameof(SvnExternals);               // FOO_SVN_EXTERNALS
    public const string DownloadPostProcess = nameof(DownloadPostProcess); // FOO_DOWNLOAD_POST_PROCESS
    public const string CargoManifest = nameof(CargoManifest);             // BR_CARGO_MANIFEST_PATH in FOO_DL_ENV
    public const string GoSubdir = nameof(GoSubdir);                       // FOO_SUBDIR of a golang-package
    public const string License = nameof(License);                         // FOO_LICENSE
    public const string LicenseFiles = nameof(LicenseFiles);               // FOO_LICENSE_FILES
    public const string Redistribute = nameof(Redistribute);               // FOO_REDISTRIBUTE
    public const string CpeIdVendor = nameof(CpeIdVendor);                 // FOO_CPE_ID_VENDOR
    public const string CpeIdProduct = nameof(CpeIdProduct);               // FOO_CPE_ID_PRODUCT
    public const string CpeIdVersion = nameof(CpeIdVersion);               // FOO_CPE_ID_VERSION
    public const string CpeIdUpdate = nameof(CpeIdUpdate);                 // FOO_CPE_ID_UPDATE
    public const string CpeIdPrefix = nameof(CpeIdPrefix);                 // FOO_CPE_ID_PREFIX
    public const string CpeIdValid = nameof(CpeIdValid);                   // FOO_CPE_ID_VALID
}
