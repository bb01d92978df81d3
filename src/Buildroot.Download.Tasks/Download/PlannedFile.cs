using System.Collections.Immutable;

namespace Buildroot.Download.Tasks.Download;

/// <summary>One place to try a file from: the backend method and the folder URI.</summary>
/// <param name="Method">wget, curl, git, …: which backend fetches it.</param>
/// <param name="Uri">The site or mirror folder (the backend appends the file name where it needs one).</param>
/// <param name="IsMirror">True for primary and backup sites: fetched as plain files, <c>?</c> sent as <c>%3F</c>.</param>
internal sealed record DownloadUri(DownloadMethod Method, string Uri, bool IsMirror);

/// <summary>One file of a package, and the URIs to try for it, in order.</summary>
/// <param name="FileName">The name in the package's download folder.</param>
/// <param name="IsMainSource">True for <c>FOO_SOURCE</c>: the file that inline hashes, the no-check list and post-processes apply to.</param>
/// <param name="Uris">Primary site (with, then without the dl subdir), the package's site, backup site (likewise).</param>
internal sealed record PlannedFile(string FileName, bool IsMainSource, ImmutableArray<DownloadUri> Uris);
