using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Vendoring;

/// <summary>
/// A step run on a freshly downloaded archive before its hashes are checked
/// (<c>FOO_DOWNLOAD_POST_PROCESS</c>): it rewrites <see cref="PostProcessRequest.ArchivePath"/>
/// in place. A failure is a <see cref="BrdlException"/>; the wrapper then throws the scratch
/// file away and tries the next URI.
/// </summary>
internal interface IDownloadPostProcess
{
    Task RunAsync(PostProcessRequest request, CancellationToken cancellationToken);
}

internal sealed record PostProcessRequest
{
    /// <summary>The archive to vendor, rewritten in place.</summary>
    public required string ArchivePath { get; init; }

    /// <summary>A folder of the post-process's own, deleted afterwards.</summary>
    public required string ScratchFolder { get; init; }

    /// <summary>The download dir's root: <c>br-cargo-home</c> and <c>go-mod-cache</c> live there.</summary>
    public required string DownloadDirectory { get; init; }

    /// <summary>The package settings the post-processes read.</summary>
    public required VendoringSettings Settings { get; init; }

    /// <summary>
    /// The repacked archive's top folder (Buildroot's <c>BASENAME_RAW</c>, <c>&lt;name&gt;-&lt;version&gt;</c>);
    /// null keeps the archive's own top folder, for a user calling the task on any archive.
    /// </summary>
    public string? BaseName { get; init; }

    /// <summary>GOPROXY for go: the <c>BuildrootGoProxy</c> property, else the environment's, else <c>direct</c>.</summary>
    public string? GoProxy { get; init; }

    public required ToolPaths Tools { get; init; }

    /// <summary>The time limits of the tools' network access (the stall limit; the caller holds the whole to the overall one).</summary>
    public TransferLimits Limits { get; init; } = TransferLimits.Default;

    public required ProcessRunner Runner { get; init; }

    public required IBuildLog Log { get; init; }
}

/// <summary>
/// What of a package a post-process reads: where the Cargo manifest is (default
/// <c>Cargo.toml</c>) and the folder holding <c>go.mod</c>, both relative to the archive's top
/// folder. The standalone tasks take them as parameters; the wrapper from the package.
/// </summary>
internal sealed record VendoringSettings(string? CargoManifest, string? GoSubdir);
