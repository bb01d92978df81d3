using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Download;

/// <summary>How a package's file is checked: the same for a download and for <c>BuildrootVerify</c>.</summary>
internal static class PackageHashChecks
{
    /// <param name="hashFiles">The package's hash files, read once for all its files.</param>
    public static HashCheckSubject Subject(PackageSpec package, PlannedFile file, HashFileSet hashFiles, DownloadSettings settings) =>
        new(
            file.FileName,
            hashFiles.ExpectationsFor(file.FileName, file.IsMainSource ? package.InlineHashes : []),
            NoCheck: IsOnNoCheckList(package, file.IsMainSource) || settings.AcceptFilesNotInHashFiles,
            Transient: package.TransientDownload,
            ForceCheckHashes: settings.ForceCheckHashes);

    /// <summary>
    /// False when the download never compares the file with its hashes: every file of a transient
    /// package, and the main source of a method whose archives are not reproducible.
    /// </summary>
    public static bool IsChecked(PackageSpec package, bool isMainSource) =>
        !package.TransientDownload && !IsOnNoCheckList(package, isMainSource);

    /// <summary>Buildroot's no-check list holds the main source of methods whose archives are not reproducible.</summary>
    private static bool IsOnNoCheckList(PackageSpec package, bool isMainSource) =>
        isMainSource && !package.Method.HashesCanBeChecked;
}
