using System.Collections;
using System.Collections.Immutable;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Microsoft.Build.Framework;

namespace Buildroot.Download.Tasks;

/// <summary>
/// The parameters shared by the tasks that work on <c>BuildrootPackage</c> items: the items
/// themselves and the build-wide settings (the <c>Buildroot…</c> properties), turned into
/// validated <see cref="PackageSpec"/>s and <see cref="DownloadSettings"/>.
/// </summary>
public abstract class PackageTask : BuildrootTask
{
    /// <summary>The <c>BuildrootPackage</c> items: Include is the name, metadata the <c>FOO_…</c> variables.</summary>
    [Required]
    public ITaskItem[] Packages { get; set; } = [];

    /// <summary><c>BuildrootDlDir</c>.</summary>
    [Required]
    public string DownloadDirectory { get; set; } = string.Empty;

    /// <summary>Where scratch folders go: the project's intermediate folder, never the download folder.</summary>
    public string? ScratchDirectory { get; set; }

    public string? PrimarySite { get; set; }

    public bool PrimarySiteOnly { get; set; }

    public string? BackupSite { get; set; }

    public bool ForceCheckHashes { get; set; }

    public bool Offline { get; set; }

    public bool Quiet { get; set; }

    /// <summary>How many packages download at once; 0 means the default (twice the cores).</summary>
    public int Parallelism { get; set; }

    public string? GoProxy { get; set; }

    /// <summary><c>BuildrootDownloadStallTimeout</c>: seconds a transfer may make no progress; empty for the default (30).</summary>
    public string? DownloadStallTimeout { get; set; }

    /// <summary><c>BuildrootDownloadTimeout</c>: seconds one attempt at one site may take in all; 0 for no limit, empty for the default (3600).</summary>
    public string? DownloadTimeout { get; set; }

    public string? GitPath { get; set; }

    public string? SvnPath { get; set; }

    public string? HgPath { get; set; }

    public string? BzrPath { get; set; }

    public string? CvsPath { get; set; }

    public string? CurlPath { get; set; }

    public string? WgetPath { get; set; }

    public string? ScpPath { get; set; }

    public string? SftpPath { get; set; }

    public string? GzipPath { get; set; }

    public string? TarPath { get; set; }

    public string? CargoPath { get; set; }

    public string? GoPath { get; set; }

    internal DownloadSettings CreateSettings()
    {
        if (string.IsNullOrWhiteSpace(DownloadDirectory))
        {
            throw new BrdlException(FailureScope.Build, MessageCodes.InvalidSetting, "BuildrootDlDir is empty: set it (or the BR2_DL_DIR environment variable) to the download folder.");
        }

        var defaults = new ToolPaths();
        return new DownloadSettings
        {
            DownloadDirectory = Path.GetFullPath(DownloadDirectory),
            ScratchDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(ScratchDirectory)
                ? Path.Combine(Path.GetTempPath(), "buildroot-download-scratch")
                : ScratchDirectory),
            PrimarySite = Blank(PrimarySite),
            PrimarySiteOnly = PrimarySiteOnly,
            BackupSite = Blank(BackupSite),
            ForceCheckHashes = ForceCheckHashes,
            Offline = Offline,
            Quiet = Quiet,
            Parallelism = Parallelism > 0 ? Parallelism : DownloadSettings.DefaultParallelism,
            GoProxy = Blank(GoProxy),
            Limits = TransferLimits.Parse(DownloadStallTimeout, DownloadTimeout),
            Tools = new ToolPaths
            {
                Git = Blank(GitPath) ?? defaults.Git,
                Svn = Blank(SvnPath) ?? defaults.Svn,
                Hg = Blank(HgPath) ?? defaults.Hg,
                Bzr = Blank(BzrPath) ?? defaults.Bzr,
                Cvs = Blank(CvsPath) ?? defaults.Cvs,
                Curl = Blank(CurlPath) ?? defaults.Curl,
                Wget = Blank(WgetPath) ?? defaults.Wget,
                Scp = Blank(ScpPath) ?? defaults.Scp,
                Sftp = Blank(SftpPath) ?? defaults.Sftp,
                Gzip = Blank(GzipPath) ?? defaults.Gzip,
                Tar = Blank(TarPath) ?? defaults.Tar,
                Cargo = Blank(CargoPath) ?? defaults.Cargo,
                Go = Blank(GoPath) ?? defaults.Go,
            },
        };
    }

    /// <summary>
    /// Every item turned into a spec, or null when any is invalid: all invalid ones are reported
    /// (so the user sees every problem at once) and the task stops before anything is written.
    /// </summary>
    internal ImmutableArray<PackageSpec>? ReadPackages(IBuildLog log)
    {
        var specs = ImmutableArray.CreateBuilder<PackageSpec>(Packages.Length);
        var names = new HashSet<string>(StringComparer.Ordinal);
        bool failed = false;
        foreach (ITaskItem item in Packages)
        {
            try
            {
                PackageSpec spec = PackageSpecFactory.Create(item.ItemSpec, MetadataOf(item), ProjectDirectoryOf(item));
                if (!names.Add(spec.Name))
                {
                    throw new BrdlException(FailureScope.Package, MessageCodes.PackageDefinedTwice, $"The package '{spec.Name}' is declared twice (as a BuildrootPackage item or a manifest); keep one.");
                }

                specs.Add(spec);
            }
            catch (BrdlException e)
            {
                log.Error(e.Code, e.Message);
                failed = true;
            }
        }

        return failed ? null : specs.ToImmutable();
    }

    private static Dictionary<string, string> MetadataOf(ITaskItem item)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in item.CloneCustomMetadata())
        {
            metadata[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        return metadata;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
