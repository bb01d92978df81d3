using System.Text.Json.Nodes;
using Buildroot.Download.Tasks.Download;

namespace Buildroot.Download.Tasks.Packages;

/// <summary>What show-info knows of a package beyond its spec: the folder of its manifest, and what it depends on.</summary>
internal sealed record ShowInfoContext(string? PackageDirectory, IReadOnlyList<string> Dependencies);

/// <summary>
/// Buildroot's own <c>make show-info</c> JSON (pkg-utils.mk's <c>json-info</c>): an object keyed by
/// package name with <c>type</c>, <c>name</c>, <c>virtual</c>, <c>version</c>, <c>licenses</c>,
/// <c>license_files</c>, <c>redistributable</c>, <c>dl_dir</c>, <c>downloads</c> (each
/// <c>source</c> and its <c>uris</c>, spelled <c>method+url</c> and <c>scheme|urlencode+url</c> for
/// mirrors, as Buildroot's <c>DOWNLOAD_URIS</c>), <c>hashes</c>, <c>patches</c>,
/// <c>package_dir</c>, <c>dependencies</c> and <c>reverse_dependencies</c>: what the tools Buildroot
/// ships for that output (<c>utils/generate-cyclonedx</c>, <c>utils/add-custom-hashes</c>) read.
/// Build-only fields (install steps, build folders, CPE ids) are not known here and not written.
/// </summary>
internal static class BuildrootShowInfo
{
    public static JsonObject Describe(IReadOnlyList<PackageSpec> packages, IReadOnlyDictionary<string, ShowInfoContext> contexts, DownloadSettings settings)
    {
        var reverse = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (PackageSpec package in packages)
        {
            foreach (string dependency in ContextOf(package, contexts).Dependencies)
            {
                if (!reverse.TryGetValue(dependency, out SortedSet<string>? users))
                {
                    reverse[dependency] = users = new SortedSet<string>(StringComparer.Ordinal);
                }

                users.Add(package.Name);
            }
        }

        var document = new JsonObject();
        foreach (PackageSpec package in packages)
        {
            ShowInfoContext context = ContextOf(package, contexts);
            document[package.Name] = Entry(package, context, reverse.GetValueOrDefault(package.Name), settings);
        }

        return document;
    }

    /// <summary>
    /// <c>FOO_ALL_DOWNLOADS</c> as Buildroot writes them: <c>method+site/source</c>, then each patch
    /// and extra download (a full URL as is, a bare name from the site), sorted and deduplicated
    /// as <c>$(sort …)</c> does.
    /// </summary>
    public static IReadOnlyList<string> AllDownloads(PackageSpec package)
    {
        string FromSite(string file) => $"{package.BuildrootMethod}+{package.Site}/{file}";
        IEnumerable<string> additional = package.Patches.Concat(package.ExtraDownloads)
            .Select(entry => PlainNames.IsUrl(entry) ? entry : FromSite(entry));
        IEnumerable<string> main = package.SiteMethod == "local" || package.Source.Length == 0 ? [] : [FromSite(package.Source)];
        return main.Concat(additional).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Buildroot's <c>DOWNLOAD_URIS</c> for one download: primary mirror, the download's own folder, backup mirror.</summary>
    public static IReadOnlyList<string> DownloadUris(string download, PackageSpec package, DownloadSettings settings)
    {
        var uris = new List<string>();
        if (Blank(settings.PrimarySite) is { } primary)
        {
            uris.Add(Mirror($"{primary}/{package.DlSubdir}"));
            uris.Add(Mirror(primary));
        }

        if (!settings.PrimarySiteOnly)
        {
            // $(patsubst %/,%,$(dir …)): the download without its file name.
            uris.Add(download[..Math.Max(0, download.LastIndexOf('/'))]);
            if (Blank(settings.BackupSite) is { } backup)
            {
                uris.Add(Mirror($"{backup}/{package.DlSubdir}"));
                uris.Add(Mirror(backup));
            }
        }

        return uris;
    }

    private static JsonObject Entry(PackageSpec package, ShowInfoContext context, SortedSet<string>? usedBy, DownloadSettings settings)
    {
        var downloads = new JsonArray();
        foreach (string download in AllDownloads(package))
        {
            downloads.Add(new JsonObject
            {
                ["source"] = download[(download.LastIndexOf('/') + 1)..],
                ["uris"] = Strings(DownloadUris(download, package, settings)),
            });
        }

        return new JsonObject
        {
            ["type"] = package.Name.StartsWith("host-", StringComparison.Ordinal) ? "host" : "target",
            ["name"] = package.RawName,
            ["virtual"] = false,
            ["version"] = package.Version,
            ["licenses"] = package.License ?? "unknown",
            ["license_files"] = Strings((package.LicenseFiles ?? string.Empty).Split([';', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries)),
            ["redistributable"] = package.Redistribute,
            ["dl_dir"] = package.DlSubdir,
            ["downloads"] = downloads,
            ["hashes"] = Strings(package.HashFiles.Where(File.Exists)),
            ["patches"] = Strings(Patches(package, context)),
            ["package_dir"] = context.PackageDirectory,
            ["dependencies"] = Strings(context.Dependencies.Order(StringComparer.Ordinal)),
            ["reverse_dependencies"] = Strings(usedBy ?? []),
        };
    }

    /// <summary>
    /// Buildroot's <c>pkg-patches-list</c>: the <c>*.patch</c> files of the package folder (of its
    /// version sub-folder when there is one), then the <c>FOO_PATCH</c> downloads.
    /// </summary>
    private static IEnumerable<string> Patches(PackageSpec package, ShowInfoContext context)
    {
        IEnumerable<string> local = [];
        if (context.PackageDirectory is { } folder && Directory.Exists(folder))
        {
            string versioned = Path.Combine(folder, package.SanitizedVersion);
            string patchFolder = package.SanitizedVersion.Length > 0 && PlainNames.Problem(package.SanitizedVersion) is null && Directory.Exists(versioned) ? versioned : folder;
            local = Directory.EnumerateFiles(patchFolder, "*.patch").Order(StringComparer.Ordinal);
        }

        return local.Concat(package.Patches.Select(patch => PlainNames.IsUrl(patch) ? patch : $"{package.BuildrootMethod}+{package.Site}/{patch}"));
    }

    private static ShowInfoContext ContextOf(PackageSpec package, IReadOnlyDictionary<string, ShowInfoContext> contexts) =>
        contexts.GetValueOrDefault(package.Name) ?? new ShowInfoContext(null, []);

    /// <summary><c>$(call getschemeplusuri,…,urlencode)</c>: a mirror, fetched by its scheme, its file names URL-encoded.</summary>
    private static string Mirror(string uri)
    {
        int separator = uri.IndexOf("://", StringComparison.Ordinal);
        string scheme = separator < 0 ? uri : uri[..separator];
        return $"{scheme}|urlencode+{uri}";
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(value => (JsonNode?)JsonValue.Create(value))]);
}
