using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
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

    /// <summary>The download dir whose shared cache (<c>br-cargo-home</c> or <c>go-mod-cache</c>) the tool uses.</summary>
    [Required]
    public string DownloadDirectory { get; set; } = string.Empty;

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
        var tools = new ToolPaths();
        tools = string.IsNullOrEmpty(GzipPath) ? tools : tools with { Gzip = GzipPath };
        StandaloneVendoringRequest request = Describe(new StandaloneVendoringRequest
        {
            ArchivePath = Path.GetFullPath(Archive),
            OutputPath = Path.GetFullPath(output),
            DownloadDirectory = Path.GetFullPath(DownloadDirectory),
            Tools = tools,
            Limits = TransferLimits.Parse(DownloadStallTimeout, DownloadTimeout),
        });
        if (!string.IsNullOrWhiteSpace(ScratchDirectory))
        {
            request = request with { ScratchRoot = Path.GetFullPath(ScratchDirectory) };
        }

        bool vendored = await StandaloneVendoring.RunAsync(PostProcess, request, log, cancellationToken).ConfigureAwait(false);
        VendoredArchive = output;
        AlreadyVendored = !vendored;
    }

    /// <summary>Adds the tool's own settings (manifest, subfolder, proxy, tool path) to the request.</summary>
    private protected abstract StandaloneVendoringRequest Describe(StandaloneVendoringRequest request);
}
