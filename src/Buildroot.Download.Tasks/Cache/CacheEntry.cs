namespace Buildroot.Download.Tasks.Cache;

/// <summary>One file as the asset cache sees it: the package it belongs to, its name, and its sha256 when the hashes list one.</summary>
/// <param name="Package">The package name (the <c>{package}</c> placeholder).</param>
/// <param name="FileName">The file's name in the download folder (the <c>{file}</c> placeholder).</param>
/// <param name="Sha256">Its sha256 from the hash files or <c>Hash</c> metadata (lower-case hex), or null: then it is never looked up or stored.</param>
internal sealed record CacheEntry(string Package, string FileName, string? Sha256)
{
    /// <summary>"zlib/zlib-1.3.1.tar.xz (sha256 9a93…)", for messages.</summary>
    public override string ToString() => $"{Package}/{FileName} (sha256 {Sha256 ?? "unknown"})";
}
