using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Settings;
using Buildroot.Download.Tasks.Vendoring;
using Microsoft.Build.Framework;
using Task = System.Threading.Tasks.Task;

namespace Buildroot.Download.Tasks;

/// <summary>
/// What <see cref="CargoVendor"/> and <see cref="GoVendor"/> share: the archive in, the shared
/// caches' download dir, where the result goes, and the outputs.
/// </summary>
public abstract class VendoringTask : BuildrootTask
{
    /// <summary>The <c>.tar.gz</c> to vendor: one top folder holding the sources.</summary>
    [Required]
    public string Archive { get; set; } = string.Empty;

    /// <summary>
    /// The download dir whose shared cache (<c>br-cargo-home</c> or <c>go-mod-cache</c>) the tool uses.
    /// Not [Required]: an empty one is refused with a BRDL error naming it, not MSBuild's own.
    /// </summary>
    public string? DownloadDirectory { get; set; }

    /// <summary>
    /// Where the vendored archive goes. Empty: <see cref="Archive"/> is rewritten in place. Either
    /// way the file is replaced by an atomic rename, and is left as it was when vendoring fails.
    /// </summary>
    public string? OutputArchive { get; set; }

    /// <summary>The <c>gzip</c> that compresses the repacked archive (<c>BuildrootGzipPath</c>); default <c>gzip</c> on PATH.</summary>
    public string? GzipPath { get; set; }

    /// <summary>
    /// <c>BuildrootDownloadStallTimeout</c>: seconds the tool may make no progress before it is
    /// stopped; empty for the default (30).
    /// </summary>
    public string? DownloadStallTimeout { get; set; }

    /// <summary><c>BuildrootDownloadTimeout</c>: seconds vendoring may take in all; 0 for no limit, empty for the default (3600).</summary>
    public string? DownloadTimeout { get; set; }

    /// <summary>Where the scratch folder goes (<c>BuildrootScratchDir</c>); default a folder under the system's temporary folder.</summary>
    public string? ScratchDirectory { get; set; }

    /// <summary>The vendored archive: <see cref="OutputArchive"/> when set, else <see cref="Archive"/>.</summary>
    [Output]
    public string VendoredArchive { get; private set; } = string.Empty;

    /// <summary>True when the archive already held its dependencies and was left byte-for-byte as it was.</summary>
    [Output]
    public bool AlreadyVendored { get; private set; }

    private protected abstract VendoringPostProcess PostProcess { get; }

    internal sealed override async Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        string output = string.IsNullOrEmpty(OutputArchive) ? Archive : OutputArchive;
        var settings = new SettingsCollector(log);
        string downloadDirectory = settings.Read(
            () => SettingValidators.Directory("BuildrootDlDir", DownloadDirectory, Directory.GetCurrentDirectory(), "give the download folder whose shared cache the tool uses"),
            string.Empty);
        var tools = new ToolPaths();
        tools = tools with { Gzip = settings.Read(() => SettingValidators.Program("BuildrootGzipPath", GzipPath, tools.Gzip), tools.Gzip) };
        StandaloneVendoringRequest request = Describe(settings, new StandaloneVendoringRequest
        {
            ArchivePath = Path.GetFullPath(Archive),
            OutputPath = Path.GetFullPath(output),
            DownloadDirectory = downloadDirectory,
            Tools = tools,
            Limits = settings.Read(() => TransferLimits.Parse(DownloadStallTimeout, DownloadTimeout), TransferLimits.Default),
        });
        if (!string.IsNullOrWhiteSpace(ScratchDirectory))
        {
            request = request with { ScratchRoot = settings.Read(() => SettingValidators.Directory("BuildrootScratchDir", ScratchDirectory, Directory.GetCurrentDirectory(), "leave it unset for a folder under the system's temporary folder"), string.Empty) };
        }

        if (settings.Failed)
        {
            return;
        }

        bool vendored = await StandaloneVendoring.RunAsync(PostProcess, request, log, cancellationToken).ConfigureAwait(false);
        VendoredArchive = output;
        AlreadyVendored = !vendored;
    }

    /// <summary>Adds the tool's own settings (manifest, subfolder, proxy, tool path) to the request, validated by <paramref name="settings"/>.</summary>
    private protected abstract StandaloneVendoringRequest Describe(SettingsCollector settings, StandaloneVendoringRequest request);
}
