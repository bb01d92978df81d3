using System.Collections.Immutable;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Download;

/// <summary>
/// Buildroot's <c>DOWNLOAD_URIS</c>: which files a package needs and, for each, the URIs to try
/// in order — primary site + <c>/&lt;dl subdir&gt;</c>, primary site, the package's own site (unless
/// "primary site only"), backup site + <c>/&lt;dl subdir&gt;</c>, backup site.
/// </summary>
internal static class DownloadPlanner
{
    public static ImmutableArray<PlannedFile> Plan(PackageSpec package, DownloadSettings settings)
    {
        var files = ImmutableArray.CreateBuilder<PlannedFile>();
        if (package.Source.Length > 0)
        {
            files.Add(PlanFile(package, settings, package.Source, package.Site, package.Method, isMainSource: true));
        }

        // Buildroot's ALL_DOWNLOADS order: the source, the patches, then the extra downloads.
        foreach (string entry in package.Patches.Concat(package.ExtraDownloads))
        {
            if (IsFullUrl(entry))
            {
                int slash = entry.LastIndexOf('/');
                string folder = entry[..slash];
                files.Add(PlanFile(package, settings, entry[(slash + 1)..], folder, DownloadMethods.ForPlainFile(folder), isMainSource: false));
            }
            else
            {
                files.Add(PlanFile(package, settings, entry, package.Site, package.Method, isMainSource: false));
            }
        }

        return files.ToImmutable();
    }

    private static PlannedFile PlanFile(PackageSpec package, DownloadSettings settings, string fileName, string? site, DownloadMethod method, bool isMainSource)
    {
        var uris = ImmutableArray.CreateBuilder<DownloadUri>();
        if (Trim(settings.PrimarySite) is { } primary)
        {
            AddMirror(uris, $"{primary}/{package.DlSubdir}");
            AddMirror(uris, primary);
        }

        if (!settings.PrimarySiteOnly)
        {
            if (Trim(site) is { } packageSite)
            {
                uris.Add(new DownloadUri(method, packageSite, IsMirror: false));
            }

            if (Trim(settings.BackupSite) is { } backup)
            {
                AddMirror(uris, $"{backup}/{package.DlSubdir}");
                AddMirror(uris, backup);
            }
        }

        return new PlannedFile(fileName, isMainSource, uris.ToImmutable());
    }

    private static void AddMirror(ImmutableArray<DownloadUri>.Builder uris, string uri) =>
        uris.Add(new DownloadUri(DownloadMethods.ForPlainFile(uri), uri, IsMirror: true));

    private static string? Trim(string? site) =>
        string.IsNullOrWhiteSpace(site) ? null : site.Trim().TrimEnd('/');

    private static bool IsFullUrl(string entry) => entry.Contains("://", StringComparison.Ordinal);
}
