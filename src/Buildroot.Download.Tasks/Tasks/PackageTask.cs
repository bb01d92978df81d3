using System.Collections;
using System.Collections.Immutable;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Cache;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Buildroot.Download.Tasks.Settings;
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

    /// <summary><c>BuildrootDlDir</c>. Not [Required]: MSBuild would refuse an empty one with its own error before we could name the property.</summary>
    public string? DownloadDirectory { get; set; }

    // Every setting below is taken as text and checked by SettingValidators, so that a wrong value
    // gets a BRDL error naming its property rather than MSBuild's own conversion error.

    /// <summary><c>BuildrootScratchDir</c>: where scratch folders go, the project's intermediate folder, never the download folder.</summary>
    public string? ScratchDirectory { get; set; }

    /// <summary><c>BuildrootPrimarySite</c>.</summary>
    public string? PrimarySite { get; set; }

    /// <summary><c>BuildrootPrimarySiteOnly</c>: true/false (YES/NO).</summary>
    public string? PrimarySiteOnly { get; set; }

    /// <summary><c>BuildrootBackupSite</c>.</summary>
    public string? BackupSite { get; set; }

    /// <summary><c>BuildrootForceCheckHashes</c>: true/false (YES/NO).</summary>
    public string? ForceCheckHashes { get; set; }

    /// <summary><c>BuildrootDownloadOffline</c>: true/false (YES/NO).</summary>
    public string? Offline { get; set; }

    /// <summary><c>BuildrootDownloadQuiet</c>: true/false (YES/NO).</summary>
    public string? Quiet { get; set; }

    /// <summary><c>BuildrootDownloadParallelism</c>: how many packages download at once; empty or 0 means the default (twice the cores).</summary>
    public string? Parallelism { get; set; }

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

    /// <summary>The <c>BuildrootAssetCache</c> items: Include is the URL template, metadata <c>Access</c>, <c>Headers</c>, <c>Query</c>.</summary>
    public ITaskItem[] AssetCaches { get; set; } = [];

    /// <summary><c>BuildrootAssetCacheOnly</c>: true/false (YES/NO); true tries nothing but the caches.</summary>
    public string? AssetCacheOnly { get; set; }

    /// <summary>
    /// The settings, validated: every invalid one is reported (as a BRDL error naming its
    /// property) and null is returned; a mirror holding a password is warned about.
    /// </summary>
    internal DownloadSettings? ReadSettings(IBuildLog log)
    {
        var settings = new SettingsCollector(log);

        // MSBuild runs a project's tasks in the project's folder: a relative -p:BuildrootDlDir=dl means <project>/dl.
        string projectDirectory = Directory.GetCurrentDirectory();
        string downloadDirectory = settings.Read(
            () => SettingValidators.Directory("BuildrootDlDir", DownloadDirectory, projectDirectory, "set it (or the BR2_DL_DIR environment variable) to the download folder, or leave it unset for ~/.cache/buildroot-dl"),
            string.Empty);
        string scratchDirectory = string.IsNullOrWhiteSpace(ScratchDirectory)
            ? Path.Combine(Path.GetTempPath(), "buildroot-download-scratch")
            : settings.Read(() => SettingValidators.Directory("BuildrootScratchDir", ScratchDirectory, projectDirectory, "leave it unset for the project's obj folder"), string.Empty);
        settings.WarnAboutPassword("BuildrootPrimarySite", PrimarySite);
        settings.WarnAboutPassword("BuildrootBackupSite", BackupSite);

        bool Flag(string property, string? value) => settings.Read(() => SettingValidators.Boolean(property, value, whenEmpty: false), false);
        string Tool(string name, string? value, string fallback) => settings.Read(() => SettingValidators.Program($"Buildroot{name}Path", value, fallback), fallback);

        var defaults = new ToolPaths();
        var result = new DownloadSettings
        {
            DownloadDirectory = downloadDirectory,
            ScratchDirectory = scratchDirectory,
            PrimarySite = settings.Read(() => SettingValidators.Site("BuildrootPrimarySite", PrimarySite), null),
            PrimarySiteOnly = Flag("BuildrootPrimarySiteOnly", PrimarySiteOnly),
            BackupSite = settings.Read(() => SettingValidators.Site("BuildrootBackupSite", BackupSite), null),
            ForceCheckHashes = Flag("BuildrootForceCheckHashes", ForceCheckHashes),
            Offline = Flag("BuildrootDownloadOffline", Offline),
            Quiet = Flag("BuildrootDownloadQuiet", Quiet),
            Parallelism = settings.Read(() => ParallelismSetting(Parallelism), DownloadSettings.DefaultParallelism),
            GoProxy = Blank(GoProxy),
            Limits = settings.Read(() => TransferLimits.Parse(DownloadStallTimeout, DownloadTimeout), TransferLimits.Default),
            Tools = new ToolPaths
            {
                Git = Tool("Git", GitPath, defaults.Git),
                Svn = Tool("Svn", SvnPath, defaults.Svn),
                Hg = Tool("Hg", HgPath, defaults.Hg),
                Bzr = Tool("Bzr", BzrPath, defaults.Bzr),
                Cvs = Tool("Cvs", CvsPath, defaults.Cvs),
                Curl = Tool("Curl", CurlPath, defaults.Curl),
                Wget = Tool("Wget", WgetPath, defaults.Wget),
                Scp = Tool("Scp", ScpPath, defaults.Scp),
                Sftp = Tool("Sftp", SftpPath, defaults.Sftp),
                Gzip = Tool("Gzip", GzipPath, defaults.Gzip),
                Tar = Tool("Tar", TarPath, defaults.Tar),
                Cargo = Tool("Cargo", CargoPath, defaults.Cargo),
                Go = Tool("Go", GoPath, defaults.Go),
            },
        };
        return settings.Failed ? null : result;
    }

    /// <summary>
    /// The settings and the packages, for a task that needs nothing else: settings first, then
    /// packages, each reporting every problem it finds; null when either is invalid.
    /// </summary>
    internal (DownloadSettings Settings, ImmutableArray<PackageSpec> Packages)? ReadSettingsAndPackages(IBuildLog log)
    {
        DownloadSettings? settings = ReadSettings(log);
        return ReadPackages(log) is { } packages && settings is not null ? (settings, packages) : null;
    }

    /// <summary>
    /// The asset caches, validated (<see cref="AssetCacheDeclaration.Read"/>): null when any item
    /// or <c>BuildrootAssetCacheOnly</c> is invalid, each problem reported as an error.
    /// </summary>
    internal AssetCacheSettings? ReadAssetCaches(IBuildLog log) =>
        AssetCacheDeclaration.Read(AssetCaches.Select(item => new AssetCacheItem(item.ItemSpec, MetadataOf(item))).ToArray(), AssetCacheOnly, log);

    /// <summary>0 is accepted too, as "the default": it was the documented way to ask for it.</summary>
    private static int ParallelismSetting(string? value)
    {
        int parallelism = SettingValidators.Count("BuildrootDownloadParallelism", value, whenEmpty: 0, minimum: 0, maximum: 1024, "twice the number of cores");
        return parallelism == 0 ? DownloadSettings.DefaultParallelism : parallelism;
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
        var credentials = new SettingsCollector(log);
        var declarations = new PackageDeclarations();
        foreach (ITaskItem item in Packages)
        {
            DeferredLocation declared = declarations.Of(item);
            IReadOnlyDictionary<string, string> metadata = MetadataOf(item);
            foreach ((string name, string value) in metadata)
            {
                credentials.WarnAboutPassword(item.ItemSpec, name, value, declared);
            }

            try
            {
                PackageSpec spec = PackageSpecFactory.Create(item.ItemSpec, metadata, ProjectDirectoryOf(item)) with { Declaration = declared };
                if (!names.Add(spec.Name))
                {
                    throw new BrdlException(FailureScope.Package, MessageCodes.PackageDefinedTwice, $"The package '{spec.Name}' is declared twice (as a BuildrootPackage item or a manifest); keep one.");
                }

                specs.Add(spec);
            }
            catch (BrdlException e)
            {
                log.Error(e.Code, e.Message, e.Location ?? declared.Value);
                failed = true;
            }
        }

        return failed ? null : specs.ToImmutable();
    }

    private static IReadOnlyDictionary<string, string> MetadataOf(ITaskItem item)
    {
        IDictionary clone = item.CloneCustomMetadata();

        // MSBuild's clone is already a fresh case-insensitive dictionary of unescaped values: kept
        // as it is, rather than copied, when it says so (a thousand packages, a thousand copies).
        if (clone is Dictionary<string, string> typed && typed.Comparer.Equals("Version", "VERSION"))
        {
            return typed;
        }

        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in clone)
        {
            metadata[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        return metadata;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
