using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Download;

/// <summary>How a package's file is checked: the same for a download and for <c>BuildrootVerify</c>.</summary>
internal static class PackageHashChecks
{
    /// <param name="hashFiles">The package's hash files, read once for all its files.</param>
    public static HashCheckSubject Subject(PackageSpec package, PlannedFile file, HashFileSet hashFiles, bool forceCheckHashes) =>
        new(
            file.FileName,
            hashFiles.ExpectationsFor(file.FileName, file.IsMainSource ? package.InlineHashes : []),
            // Buildroot's no-check list holds the main source of methods whose archives are not reproducible.
            NoCheck: file.IsMainSource && !package.Method.HashesCanBeChecked,
            Transient: package.TransientDownload,
            ForceCheckHashes: forceCheckHashes);
}
