using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Release;
using Microsoft.Build.Framework;
using Task = System.Threading.Tasks.Task;

namespace Buildroot.Download.Tasks;

/// <summary>
/// Writes a CycloneDX 1.6 JSON SBOM of every package to <see cref="OutputFile"/> (see
/// <see cref="SbomDocument"/>) and prints its path. Needs no network; run it after the download
/// so that files without listed hashes get their SHA-256 from the download folder.
/// </summary>
public sealed class WriteBuildrootSbom : PackageTask
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,

        // Licenses such as "GPL-2.0+" stay readable ("+" is not escaped); the file is no HTML page.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Required]
    public string OutputFile { get; set; } = string.Empty;

    /// <summary>The SBOM's subject (<c>metadata.component</c>): the project's name.</summary>
    [Required]
    public string ProjectName { get; set; } = string.Empty;

    /// <summary>The project's version, if any.</summary>
    public string? ProjectVersion { get; set; }

    internal override async Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        if (ReadSettingsAndPackages(log) is not ({ } settings, var packages))
        {
            return;
        }

        var folder = new DownloadFolder(settings.DownloadDirectory, settings.ScratchDirectory);
        var subject = new SbomSubject(ProjectName, ProjectVersion, ToolVersion(), Timestamp());
        JsonObject document = await SbomDocument.CreateAsync(packages, folder, subject, log, cancellationToken).ConfigureAwait(false);

        string path = Path.GetFullPath(OutputFile);
        await AtomicFile.WriteAsync(path, document.ToJsonString(JsonOptions) + "\n", MessageCodes.ReleaseOutputNotWritten, cancellationToken).ConfigureAwait(false);
        log.Message($"Buildroot SBOM (CycloneDX {SbomDocument.SpecVersion}): {path}");
    }

    private static string ToolVersion() =>
        typeof(WriteBuildrootSbom).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(WriteBuildrootSbom).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Now, or <c>SOURCE_DATE_EPOCH</c> when set (reproducible builds fix the date that way).</summary>
    private static DateTimeOffset Timestamp() =>
        long.TryParse(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UtcNow;
}
