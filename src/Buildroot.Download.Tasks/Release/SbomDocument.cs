using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Release;

/// <summary>The project the SBOM describes (its <c>metadata.component</c>) and the tool that wrote it.</summary>
internal sealed record SbomSubject(string ProjectName, string? ProjectVersion, string ToolVersion, DateTimeOffset Timestamp);

/// <summary>
/// A CycloneDX 1.6 SBOM of the packages: one <c>library</c> component per package with its name
/// (Buildroot's raw name), version, licenses (<see cref="CycloneDxLicenses"/>), CPE, and one
/// external reference per downloaded file — where it comes from (<c>source-distribution</c>, or
/// <c>vcs</c> with the changeset) and its hashes — plus its patches as pedigree and
/// <c>buildroot:*</c> properties (method, transient, redistribute, license as written).
/// Needs no network: a file's hashes are those its hash files list (the download step checked
/// them), with its SHA-256 computed from the download folder when none is listed.
/// </summary>
internal static class SbomDocument
{
    public const string SpecVersion = "1.6";

    /// <summary>The CycloneDX names of the hash-file algorithms it has (it has no SHA-224).</summary>
    private static readonly ImmutableDictionary<string, string> CycloneDxAlgorithms = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["md5"] = "MD5",
        ["sha1"] = "SHA-1",
        ["sha256"] = "SHA-256",
        ["sha384"] = "SHA-384",
        ["sha512"] = "SHA-512",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    public static async Task<JsonObject> CreateAsync(
        IReadOnlyList<PackageSpec> packages,
        DownloadFolder folder,
        SbomSubject subject,
        IBuildLog log,
        CancellationToken cancellationToken)
    {
        string projectRef = $"project:{subject.ProjectName}";
        var components = new JsonArray();
        foreach (PackageSpec package in packages)
        {
            components.Add(await ComponentAsync(package, folder, log, cancellationToken).ConfigureAwait(false));
        }

        var dependencies = new JsonArray(new JsonObject
        {
            ["ref"] = projectRef,
            ["dependsOn"] = new JsonArray(packages.Select(p => (JsonNode)JsonValue.Create(p.Name)).ToArray()),
        });
        foreach (PackageSpec package in packages)
        {
            dependencies.Add(new JsonObject { ["ref"] = package.Name, ["dependsOn"] = new JsonArray() });
        }

        var project = new JsonObject { ["type"] = "application", ["bom-ref"] = projectRef, ["name"] = subject.ProjectName };
        if (!string.IsNullOrWhiteSpace(subject.ProjectVersion))
        {
            project["version"] = subject.ProjectVersion;
        }

        return new JsonObject
        {
            ["$schema"] = "http://cyclonedx.org/schema/bom-1.6.schema.json",
            ["bomFormat"] = "CycloneDX",
            ["specVersion"] = SpecVersion,
            ["serialNumber"] = $"urn:uuid:{Guid.NewGuid():D}",
            ["version"] = 1,
            ["metadata"] = new JsonObject
            {
                ["timestamp"] = subject.Timestamp.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["tools"] = new JsonObject
                {
                    ["components"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "application",
                        ["name"] = "Buildroot.Download.Tasks",
                        ["version"] = subject.ToolVersion,
                    }),
                },
                ["component"] = project,
            },
            ["components"] = components,
            ["dependencies"] = dependencies,
        };
    }

    private static async Task<JsonObject> ComponentAsync(PackageSpec package, DownloadFolder folder, IBuildLog log, CancellationToken cancellationToken)
    {
        var component = new JsonObject { ["type"] = "library", ["bom-ref"] = package.Name, ["name"] = package.RawName };
        if (package.Version.Length > 0)
        {
            component["version"] = package.Version;
        }

        if (CycloneDxLicenses.From(package.License) is { } licenses)
        {
            component["licenses"] = licenses;
        }

        if (package.CpeId is { } cpe)
        {
            component["cpe"] = cpe;
        }

        var references = new JsonArray();
        var patches = new JsonArray();
        foreach (PackageFile file in PackageFiles.Of(package, folder))
        {
            JsonArray hashes = await HashesAsync(package, file, log, cancellationToken).ConfigureAwait(false);
            if (file.IsMainSource && hashes.Count > 0)
            {
                component["hashes"] = hashes.DeepClone();
            }

            if (file.Origin is { } origin)
            {
                references.Add(Reference(package, file, origin, hashes));
                if (file.Kind == PackageFileKind.Patch)
                {
                    patches.Add(new JsonObject { ["type"] = "unofficial", ["diff"] = new JsonObject { ["url"] = origin } });
                }
            }
        }

        if (references.Count > 0)
        {
            component["externalReferences"] = references;
        }

        if (patches.Count > 0)
        {
            component["pedigree"] = new JsonObject { ["patches"] = patches };
        }

        component["properties"] = Properties(package);
        return component;
    }

    private static JsonObject Reference(PackageSpec package, PackageFile file, string origin, JsonArray hashes)
    {
        string comment = file.Kind switch
        {
            PackageFileKind.MainSource when file.FromVersionControl => $"{package.SiteMethod} repository, changeset {package.Version}, archived as {file.FileName}",
            PackageFileKind.MainSource => $"source {file.FileName}",
            PackageFileKind.Patch => $"patch {file.FileName}",
            _ => $"extra download {file.FileName}",
        };
        var reference = new JsonObject
        {
            ["type"] = file.FromVersionControl ? "vcs" : "source-distribution",
            ["url"] = origin,
            ["comment"] = comment,
        };
        if (hashes.Count > 0)
        {
            reference["hashes"] = hashes;
        }

        return reference;
    }

    /// <summary>
    /// The file's hashes: those its hash files (and, for the source, its <c>Hash</c> metadata) list,
    /// which the download step checks; its SHA-256 computed from the download folder when none is
    /// listed, or when the download step does not check it (a transient or hg/bzr/cvs source),
    /// in which case only what is in the folder is told.
    /// </summary>
    private static async Task<JsonArray> HashesAsync(PackageSpec package, PackageFile file, IBuildLog log, CancellationToken cancellationToken)
    {
        HashExpectations expected = HashExpectations.Load(file.FileName, package.HashFiles, file.IsMainSource ? package.InlineHashes : []);
        bool checkedOnDownload = PackageHashChecks.IsChecked(package, file.IsMainSource);
        var digests = new SortedDictionary<string, HashSet<string>>(StringComparer.Ordinal);
        if (checkedOnDownload)
        {
            foreach (HashEntry entry in expected.Entries.Where(entry => CycloneDxAlgorithms.ContainsKey(entry.Algorithm)))
            {
                Add(entry.Algorithm, entry.ExpectedHex);
            }
        }

        if (!digests.ContainsKey("sha256"))
        {
            if (File.Exists(file.Path))
            {
                string[] algorithms = checkedOnDownload
                    ? ["sha256"]
                    : ["sha256", .. expected.Entries.Select(entry => entry.Algorithm).Where(CycloneDxAlgorithms.ContainsKey)];
                foreach ((string algorithm, string hex) in await FileDigests.OfAsync(file.Path, algorithms, cancellationToken).ConfigureAwait(false))
                {
                    Add(algorithm, hex);
                }
            }
            else
            {
                log.Warning(
                    MessageCodes.SbomFileWithoutHash,
                    $"{package.Name}: {file.FileName} is not in the download folder and {(checkedOnDownload ? "its hash files list no SHA-256 for it" : "its hashes are not checked on download")}, so the SBOM gives {(digests.Count == 0 ? "no hash" : "only the listed hashes")} for it. Build first (or dotnet build -t:BuildrootSource,BuildrootSbom) to have it hashed.");
            }
        }

        var hashes = new JsonArray();
        foreach ((string algorithm, HashSet<string> values) in digests.OrderBy(pair => CycloneDxAlgorithms[pair.Key] != "SHA-256"))
        {
            foreach (string hex in values.Order(StringComparer.Ordinal))
            {
                hashes.Add(new JsonObject { ["alg"] = CycloneDxAlgorithms[algorithm], ["content"] = hex });
            }
        }

        return hashes;

        void Add(string algorithm, string hex)
        {
            if (!digests.TryGetValue(algorithm, out HashSet<string>? values))
            {
                digests[algorithm] = values = new HashSet<string>(StringComparer.Ordinal);
            }

            values.Add(hex.ToLowerInvariant());
        }
    }

    private static JsonArray Properties(PackageSpec package)
    {
        var properties = new JsonArray(
            Property("buildroot:site-method", package.SiteMethod),
            Property("buildroot:transient-download", package.TransientDownload ? "true" : "false"),
            Property("buildroot:redistribute", package.Redistribute ? "true" : "false"));
        if (package.Method.IsVersionControl)
        {
            properties.Add(Property("buildroot:changeset", package.Version));
        }

        if (package.License is { } license)
        {
            properties.Add(Property(CycloneDxLicenses.OriginalTextProperty, license));
        }

        if (package.LicenseFileList is { IsEmpty: false } licenseFiles)
        {
            properties.Add(Property("buildroot:license-files", string.Join(' ', licenseFiles)));
        }

        return properties;
    }

    private static JsonObject Property(string name, string value) => new() { ["name"] = name, ["value"] = value };
}
