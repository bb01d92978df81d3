namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// Every error and warning the package reports carries one of these codes, so that users
/// can search for it and tests can assert it. Codes are never reused for another meaning.
/// Ranges: 00xx input and settings, 01xx download wrapper, 02xx hashes, 03xx backends, 04xx archives,
/// 05xx vendoring, 06xx locks and processes, 07xx manifests, 09xx the asset cache, 10xx release pipelines
/// (SBOM, legal-info, hash updates).
/// </summary>
internal static class MessageCodes
{
    // 00xx: the package description given by the user.
    public const string MissingVersion = "BRDL0001";
    public const string MissingSite = "BRDL0002";
    public const string UnknownSiteMethod = "BRDL0003";
    public const string PathEscapesDownloadFolder = "BRDL0004";
    public const string ValueLooksLikeOption = "BRDL0005";
    public const string InvalidBoolean = "BRDL0006";
    public const string InvalidInlineHash = "BRDL0007";
    public const string InvalidPackageName = "BRDL0008";
    public const string UnknownPostProcess = "BRDL0009";
    public const string InvalidSetting = "BRDL0010";
    public const string SubmodulesNeedGit = "BRDL0011";
    public const string InvalidProxySetting = "BRDL0012";

    // 0025-0049: the build itself (which MSBuild runs us) and the Buildroot… properties.
    /// <summary>Raised by the .targets (an Error task), never by C#: the task assembly cannot load there.</summary>
    public const string MSBuildNotSupported = "BRDL0025";
    public const string InvalidNumberSetting = "BRDL0026";
    public const string InvalidSiteSetting = "BRDL0027";
    public const string PasswordInProject = "BRDL0028";
    public const string InvalidTimeLimit = "BRDL0029";
    public const string GitTransportRefused = "BRDL0021";

    public const string TaskFailedUnexpectedly = "BRDL0099";

    // 01xx: the download wrapper.
    public const string AllUrisFailed = "BRDL0101";
    public const string OfflineFileMissing = "BRDL0102";
    public const string TransientNotReproducible = "BRDL0103";
    public const string UriAttemptFailed = "BRDL0104";
    public const string ExistingFileWrongHash = "BRDL0105";
    public const string DownloadCancelled = "BRDL0106";
    public const string CannotInstallFile = "BRDL0107";
    public const string AttemptTimedOut = "BRDL0108";
    public const string ScratchFolderUnusable = "BRDL0115";

    // 02xx: hash checks (check-hash's outcomes and hash file syntax).
    public const string NoHashFile = "BRDL0201";
    public const string HashMismatch = "BRDL0202";
    public const string FileNotInHashFiles = "BRDL0203";
    public const string UnknownHashAlgorithm = "BRDL0204";
    public const string MalformedHashFile = "BRDL0205";
    public const string HashFileUnreadable = "BRDL0206";
    public const string FileToVerifyMissing = "BRDL0207";
    public const string FileToVerifyUnreadable = "BRDL0208";

    // 03xx: backends (one per download method).
    public const string HttpFailed = "BRDL0301";
    public const string ToolFailed = "BRDL0302";
    public const string NoSuchChangeset = "BRDL0303";
    public const string FileSourceMissing = "BRDL0304";
    public const string VcsCacheRebuilt = "BRDL0305";
    public const string TransferStalled = "BRDL0310";
    public const string SubmoduleTransportRefused = "BRDL0311";

    // 04xx: archives.
    public const string GzipMissing = "BRDL0401";
    public const string UnsafeArchiveEntry = "BRDL0402";
    public const string ArchiveUnreadable = "BRDL0403";
    public const string ArchiveSourceUnreadable = "BRDL0404";

    // 05xx: vendoring post-processes.
    public const string VendoringFailed = "BRDL0501";
    public const string GoModMissing = "BRDL0502";
    public const string CargoManifestMissing = "BRDL0503";
    public const string VendoringPathOutsideSources = "BRDL0504";
    public const string ArchiveWithoutSingleTopFolder = "BRDL0505";
    public const string ArchiveToVendorMissing = "BRDL0506";

    // 06xx: locks and external processes.
    public const string ToolNotFound = "BRDL0602";
    public const string ToolTimedOut = "BRDL0603";
    public const string LockUnavailable = "BRDL0604";
    public const string LockNotSupported = "BRDL0605";
    public const string ToolStalled = "BRDL0610";

    // 07xx: Buildroot-style .mk manifests.
    public const string ManifestConstructNotUnderstood = "BRDL0701";
    public const string ManifestUnreadable = "BRDL0702";
    public const string ManifestWithoutPackage = "BRDL0703"; // no longer given: a manifest without a package shares its values (qt5.mk)
    public const string PackageDefinedTwice = "BRDL0704";
    public const string NeededPackageLeftOut = "BRDL0705";
    public const string ManifestPackageInvalid = "BRDL0706";
    public const string UnknownSelectedPackage = "BRDL0707";

    // 09xx: the content-addressed asset cache (BuildrootAssetCache items).
    public const string InvalidAssetCache = "BRDL0901";
    public const string AssetCacheOnlyWithoutCache = "BRDL0902";
    public const string AssetCacheCredentialMissing = "BRDL0903";
    public const string AssetCacheLookupFailed = "BRDL0904";
    public const string AssetCacheEntryCorrupt = "BRDL0905";
    public const string AssetCacheUploadFailed = "BRDL0906";
    public const string AssetCacheOnlyMiss = "BRDL0907";

    // 10xx: what release pipelines get: the SBOM, legal-info, hash updates.
    public const string SbomFileWithoutHash = "BRDL1001";
    public const string LegalNoLicense = "BRDL1002";
    public const string LegalNoLicenseFiles = "BRDL1003";
    public const string LicenseFileMissing = "BRDL1004";
    public const string LicenseFilesUnreadable = "BRDL1005";
    public const string LegalInfoFolderNotOurs = "BRDL1006";
    public const string ReleaseOutputNotWritten = "BRDL1007";
    public const string HashLineAdded = "BRDL1008";
    public const string HashFileNotWritten = "BRDL1009";
    public const string NoHashFileToUpdate = "BRDL1010";
    public const string LocalPackageNotSaved = "BRDL1011";
    public const string LicenseFilePathInvalid = "BRDL1012";
}
