using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// Everything a backend is given: the counterpart of the options Buildroot's dl-wrapper
/// passes to <c>support/download/&lt;method&gt;</c>, plus the services it may use.
/// </summary>
internal sealed record BackendRequest
{
    /// <summary>The site or mirror to fetch from (without the file name).</summary>
    public required string Uri { get; init; }

    /// <summary>The file name: appended to <see cref="Uri"/> by file-fetching methods.</summary>
    public required string FileName { get; init; }

    /// <summary>Where to write the result: a path inside <see cref="ScratchFolder"/>.</summary>
    public required string OutputPath { get; init; }

    /// <summary>A folder of the backend's own for this attempt, deleted afterwards.</summary>
    public required string ScratchFolder { get; init; }

    /// <summary>The changeset (the unsanitized version) for VCS methods.</summary>
    public required string Changeset { get; init; }

    /// <summary>The package's folder in the download dir: VCS caches (e.g. <c>git/</c>) live here.</summary>
    public required string PackageDownloadFolder { get; init; }

    /// <summary><c>&lt;name&gt;-&lt;sanitized version&gt;</c>: the top folder of a generated archive.</summary>
    public required string BaseName { get; init; }

    /// <summary>The package name without <c>host-</c>.</summary>
    public required string RawName { get; init; }

    public bool Quiet { get; init; }

    public bool GitSubmodules { get; init; }

    public bool GitLfs { get; init; }

    public bool SvnExternals { get; init; }

    /// <summary>Encode <c>?</c> as <c>%3F</c> in the file name (mirrors).</summary>
    public bool UrlEncode { get; init; }

    /// <summary>The package's <c>DlOpts</c>, passed through to the tool.</summary>
    public ImmutableArray<string> DlOpts { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>
    /// Algorithms the wrapper will check; a backend that streams the bytes may compute them
    /// on the way and return them in <see cref="BackendResult.Digests"/> to save a re-read.
    /// </summary>
    public ImmutableArray<string> WantedDigests { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>
    /// The time limits of this attempt. The wrapper enforces the overall one around the whole
    /// attempt; a backend applies the stall limit to its transfer (and the overall one to the
    /// tools it runs, so that they are stopped cleanly rather than abandoned).
    /// </summary>
    public TransferLimits Limits { get; init; } = TransferLimits.Default;

    public required ToolPaths Tools { get; init; }

    public required ProcessRunner Runner { get; init; }

    public required IBuildLog Log { get; init; }

    /// <summary>Where an in-process transfer reports its bytes (tools report through <see cref="Runner"/>).</summary>
    public ITransferProgress Progress { get; init; } = ITransferProgress.None;
}

/// <summary>What a backend hands back besides the file.</summary>
internal sealed record BackendResult
{
    public static BackendResult Plain { get; } = new();

    /// <summary>Digests computed while writing the output, by algorithm name (lower-case hex); empty if none.</summary>
    public ImmutableDictionary<string, string> Digests { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>True when the output is executable (the installed file then gets mode 0755).</summary>
    public bool Executable { get; init; }
}
