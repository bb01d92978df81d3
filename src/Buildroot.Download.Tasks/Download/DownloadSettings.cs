using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Download;

/// <summary>The build-wide settings of a download run: the MSBuild properties, validated.</summary>
internal sealed record DownloadSettings
{
    /// <summary><c>DL_DIR</c>: the shared download folder (absolute).</summary>
    public required string DownloadDirectory { get; init; }

    /// <summary>
    /// Where scratch folders are made (absolute): the build's own intermediate folder, never
    /// inside the download folder, so a half-written file can never be mistaken for a download.
    /// </summary>
    public required string ScratchDirectory { get; init; }

    /// <summary><c>BR2_PRIMARY_SITE</c>: a mirror tried first, or null.</summary>
    public string? PrimarySite { get; init; }

    /// <summary><c>BR2_PRIMARY_SITE_ONLY</c>: try nothing but the primary site.</summary>
    public bool PrimarySiteOnly { get; init; }

    /// <summary><c>BR2_BACKUP_SITE</c>: a mirror tried last, or null.</summary>
    public string? BackupSite { get; init; }

    /// <summary><c>BR2_DOWNLOAD_FORCE_CHECK_HASHES</c>: a file without a hash file is an error.</summary>
    public bool ForceCheckHashes { get; init; }

    /// <summary>Never touch the network: a missing file is an error naming it.</summary>
    public bool Offline { get; init; }

    public bool Quiet { get; init; }

    /// <summary>
    /// Accept, unchecked, a file that no hash file lists (or that has no hash file at all), as
    /// for the no-check list; listed hashes must still match. Only <c>BuildrootUpdateHashes</c>
    /// sets it, to fetch the files whose hashes it is about to record.
    /// </summary>
    public bool AcceptFilesNotInHashFiles { get; init; }

    /// <summary>How many packages download at once; one package's files always go in order.</summary>
    public int Parallelism { get; init; } = DefaultParallelism;

    /// <summary>
    /// Sixteen, whatever the number of cores: a download spends its time waiting for servers
    /// (a round trip before each answer, a slow mirror), not computing, so a small machine
    /// gains as much from overlapping those waits as a large one. Hashing runs on its own
    /// threads and gzip, git and cargo in their own processes, which the kernel shares out.
    /// </summary>
    public const int DefaultParallelism = 16;

    public string? GoProxy { get; init; }

    /// <summary>The time limits of every attempt at a site.</summary>
    public TransferLimits Limits { get; init; } = TransferLimits.Default;

    public ToolPaths Tools { get; init; } = new();
}
