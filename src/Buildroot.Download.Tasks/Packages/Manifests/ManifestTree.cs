using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>A package found in the manifests: its name, its <c>BuildrootPackage</c> metadata and what it needs.</summary>
/// <param name="DefiningLine">The line of <paramref name="DefiningManifest"/> that declares it (<c>$(eval $(generic-package))</c>).</param>
internal sealed record ManifestPackage(string Name, ImmutableDictionary<string, string> Metadata, string DefiningManifest, int DefiningLine, ImmutableArray<string> Dependencies);

/// <summary>A package declared by a manifest but left out of the build, with the one warning that said why.</summary>
internal sealed record LeftOutPackage(string Name, string Code, string Reason, SourceLocation Location, ImmutableArray<string> Dependencies);

/// <summary>
/// Everything the manifests of one build declare: the packages to download, those left out (each
/// warned about once), those with nothing to download (virtual packages, skeletons…) with what
/// they need, and host packages that share their target package's download.
/// </summary>
internal sealed record ManifestTree(
    ImmutableArray<ManifestPackage> Packages,
    ImmutableArray<LeftOutPackage> LeftOut,
    ImmutableDictionary<string, ImmutableArray<string>> NothingToDownload,
    ImmutableDictionary<string, string> SameDownloadAs);
