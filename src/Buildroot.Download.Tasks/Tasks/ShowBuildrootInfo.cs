using System.Text.Json;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Microsoft.Build.Framework;
using Task = System.Threading.Tasks.Task;

namespace Buildroot.Download.Tasks;

/// <summary>
/// Buildroot's <c>make show-info</c>: writes a JSON description of every package (name,
/// version, method, files with the URIs that would be tried, hash files, transient) to
/// <see cref="OutputFile"/> and prints its path. Needs no network.
/// </summary>
public sealed class ShowBuildrootInfo : PackageTask
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    [Required]
    public string OutputFile { get; set; } = string.Empty;

    internal override async Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        // Settings first, then packages: each reports every problem it finds before the task stops.
        DownloadSettings? settings = ReadSettings(log);
        if (ReadPackages(log) is not { } packages || settings is null)
        {
            return;
        }

        var folder = new DownloadFolder(settings.DownloadDirectory, settings.ScratchDirectory);
        var document = new
        {
            DownloadDirectory = folder.Root,
            Packages = packages.Select(package => Describe(package, settings, folder)).ToArray(),
        };

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(OutputFile))!);
        await File.WriteAllTextAsync(OutputFile, SecretRedactor.Redact(JsonSerializer.Serialize(document, JsonOptions)), cancellationToken).ConfigureAwait(false);
        log.Message($"Buildroot package information: {Path.GetFullPath(OutputFile)}");
    }

    private static object Describe(PackageSpec package, DownloadSettings settings, DownloadFolder folder) => new
    {
        package.Name,
        package.Version,
        Method = package.SiteMethod,
        package.Site,
        package.DlSubdir,
        Transient = package.TransientDownload,
        HashFiles = package.HashFiles.Where(File.Exists).ToArray(),
        package.DownloadPostProcess,
        package.License,
        package.LicenseFiles,
        package.Redistribute,
        Files = !package.Method.Downloads
            ? []
            : DownloadPlanner.Plan(package, settings).Select(file => new
            {
                Name = file.FileName,
                Path = folder.FinalPath(package, file.FileName),
                Uris = file.Uris.Select(uri => new { Method = uri.Method.Name, uri.Uri }).ToArray(),
            }).ToArray(),
    };
}
