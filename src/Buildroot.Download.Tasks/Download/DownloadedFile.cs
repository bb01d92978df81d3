namespace Buildroot.Download.Tasks.Download;

/// <summary>A file the download step leaves in the download folder.</summary>
/// <param name="Path">Its full path.</param>
/// <param name="Package">The package it belongs to.</param>
/// <param name="Transient">True when it came from a transient package (downloaded again each build).</param>
/// <param name="Verified">True when it matched at least one expected hash (now or, per its stamp, earlier).</param>
internal sealed record DownloadedFile(string Path, string Package, bool Transient, bool Verified);
