using System.Diagnostics;
using System.Text.Json.Nodes;
using Buildroot.Download.Tasks.TestUtilities;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = System.Threading.Tasks.Task;

namespace Buildroot.Download.Tasks.Tests.Release;

/// <summary>
/// For packages read from Buildroot's own manifests, the SBOM's components agree with what
/// Buildroot's <c>utils/generate-cyclonedx</c> makes from Buildroot's show-info for the same
/// packages: name, version, licenses, CPE.
/// </summary>
public sealed class SbomAgainstBuildrootTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("sbom-br");

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// What Buildroot's show-info says of each package, as far as the comparison goes: the
    /// license string and the CPE as pkg-generic.mk builds them, written here by hand from the
    /// manifests and Buildroot's rules (vendor, product, version, update default to
    /// <c>&lt;name&gt;_project</c>, the name, the version, <c>-</c>); the version is Buildroot's own
    /// show-info's (expected.tsv).
    /// </summary>
    private static readonly (string Name, string Licenses, Func<string, string> Cpe)[] Packages =
    [
        ("libcurl", "curl", version => $"cpe:2.3:a:haxx:libcurl:{version}:-:*:*:*:*:*:*"),
        ("expat", "MIT", version => $"cpe:2.3:a:libexpat_project:libexpat:{version}:-:*:*:*:*:*:*"),
        ("lz4", "BSD-2-Clause (library), GPL-2.0+ (programs)", version => $"cpe:2.3:a:lz4_project:lz4:{version}:-:*:*:*:*:*:*"),
        ("jq", "MIT (code), ICU (decNumber), CC-BY-3.0 (documentation), BSD-2-Clause (strptime)", version => $"cpe:2.3:a:jqlang:jq:{version}:-:*:*:*:*:*:*"),
        ("openssh", "BSD-3-Clause, BSD-2-Clause, Public Domain", version => $"cpe:2.3:a:openbsd:openssh:{version[..^2]}:{version[^2..]}:*:*:*:*:*:*"),
    ];

    [BuildrootReferenceFact]
    public async Task Components_from_Buildroot_manifests_agree_with_generate_cyclonedx_on_name_version_licenses_and_CPE()
    {
        Dictionary<string, string> versions = BuildrootVersions();
        ITaskItem[] packages = ReadManifests(Packages.Select(p => Path.Combine(ManifestTree, "package", p.Name, $"{p.Name}.mk")));
        JsonNode ours = WriteOurSbom(packages);
        JsonNode theirs = await RunGenerateCycloneDxAsync(ShowInfo(versions));

        foreach ((string name, _, _) in Packages)
        {
            JsonNode our = Component(ours, name);
            JsonNode their = Component(theirs, name);
            string context = $"{name}: ours {our.ToJsonString()}{Environment.NewLine}Buildroot's {their.ToJsonString()}";
            Text(our, "name").ShouldBe(Text(their, "name"), context);
            Text(our, "version").ShouldBe(Text(their, "version"), context);
            Text(our, "cpe").ShouldBe(Text(their, "cpe"), context);

            // One license per comma-separated part, in order: the same SPDX id where Buildroot's tool
            // gives one; where it gives a name, the same name or, for an id with a scope, the id
            // with the name kept as written.
            JsonNode[] ourLicenses = Licenses(our);
            JsonNode[] theirLicenses = Licenses(their);
            ourLicenses.Length.ShouldBe(theirLicenses.Length, context);
            for (int i = 0; i < theirLicenses.Length; i++)
            {
                if (theirLicenses[i]["id"] is { } id)
                {
                    ourLicenses[i]["id"]?.GetValue<string>().ShouldBe(id.GetValue<string>(), context);
                }
                else
                {
                    string written = Text(theirLicenses[i], "name");
                    (ourLicenses[i]["name"]?.GetValue<string>() ?? WrittenAs(ourLicenses[i])).ShouldBe(written, context);
                }
            }
        }

        // The ids Buildroot's tool gave are real SPDX ids, and the scoped ones became ids too.
        Licenses(Component(ours, "lz4")).Select(l => l["id"]?.GetValue<string>()).ShouldBe(["BSD-2-Clause", "GPL-2.0+"]);
        Licenses(Component(ours, "openssh")).Select(l => l["id"]?.GetValue<string>() ?? $"name:{l["name"]}").ShouldBe(["BSD-3-Clause", "BSD-2-Clause", "name:Public Domain"]);
    }

    private static string ManifestTree => Path.Combine(RepositoryPaths.Shared, "conformance", "buildroot-manifests", "tree");

    private static string ReferenceScript => Path.Combine(RepositoryPaths.Shared, "reference", "buildroot", "utils", "generate-cyclonedx");

    private static Dictionary<string, string> BuildrootVersions() =>
        File.ReadLines(Path.Combine(ManifestTree, "..", "expected.tsv"))
            .Skip(1)
            .Select(line => line.Split('\t'))
            .ToDictionary(fields => fields[0], fields => fields[1], StringComparer.Ordinal);

    private ITaskItem[] ReadManifests(IEnumerable<string> manifests)
    {
        var engine = new RecordingBuildEngine();
        var task = new ReadBuildrootManifests { BuildEngine = engine, Manifests = manifests.Select(m => (ITaskItem)new TaskItem(m)).ToArray() };
        task.Execute().ShouldBeTrue(engine.Transcript);
        task.Packages.Select(p => p.ItemSpec).ShouldBe(Packages.Select(p => p.Name), ignoreOrder: true, engine.Transcript);
        return task.Packages;
    }

    private JsonNode WriteOurSbom(ITaskItem[] packages)
    {
        var engine = new RecordingBuildEngine();
        string output = _folder.Combine("ours.cdx.json");
        var task = new WriteBuildrootSbom
        {
            BuildEngine = engine,
            Packages = packages,
            OutputFile = output,
            ProjectName = "firmware",
            DownloadDirectory = _folder.Combine("dl"),
            ScratchDirectory = _folder.Combine("scratch"),
        };
        task.Execute().ShouldBeTrue(engine.Transcript);
        string json = File.ReadAllText(output);
        CycloneDxSchema.Errors(json).ShouldBeEmpty(json);
        return JsonNode.Parse(json)!;
    }

    /// <summary>Buildroot's show-info JSON for the packages, as its pkg-utils.mk writes it (the fields generate-cyclonedx reads).</summary>
    private static string ShowInfo(Dictionary<string, string> versions)
    {
        var showInfo = new JsonObject();
        foreach ((string name, string licenses, Func<string, string> cpe) in Packages)
        {
            string version = versions[name];
            showInfo[name] = new JsonObject
            {
                ["type"] = "target",
                ["name"] = name,
                ["virtual"] = false,
                ["version"] = version,
                ["licenses"] = licenses,
                ["dl_dir"] = name,
                ["downloads"] = new JsonArray(),
                ["hashes"] = new JsonArray(),
                ["patches"] = new JsonArray(),
                ["dependencies"] = new JsonArray(),
                ["reverse_dependencies"] = new JsonArray(),
                ["cpe-id"] = cpe(version),
            };
        }

        return showInfo.ToJsonString();
    }

    /// <summary>
    /// Runs the script unchanged from a copy in a fake Buildroot tree whose Makefile answers its
    /// <c>make print-version</c>, with the SPDX license list it would download already in its
    /// cache (<c>$BR2_DL_DIR/cyclonedx/</c>): the CycloneDX schema's own, vendored in testassets.
    /// </summary>
    private async Task<JsonNode> RunGenerateCycloneDxAsync(string showInfo)
    {
        string tree = _folder.Combine("buildroot");
        Directory.CreateDirectory(Path.Combine(tree, "utils"));
        File.Copy(ReferenceScript, Path.Combine(tree, "utils", "generate-cyclonedx"));
        File.WriteAllText(Path.Combine(tree, "Makefile"), "print-version:\n\t@echo 2099.99-test\n");
        string dl = _folder.Combine("br-dl");
        Directory.CreateDirectory(Path.Combine(dl, "cyclonedx"));
        File.Copy(CycloneDxSchema.SpdxSchemaFile, Path.Combine(dl, "cyclonedx", "spdx-1.6.schema.json"));
        string input = _folder.WriteFile("show-info.json", showInfo);
        string output = _folder.Combine("buildroot.cdx.json");

        var startInfo = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (string argument in new[] { Path.Combine(tree, "utils", "generate-cyclonedx"), "-i", input, "-o", output })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["BR2_DL_DIR"] = dl;
        using Process python = Process.Start(startInfo)!;
        python.StandardInput.Close();
        Task<string> errors = python.StandardError.ReadToEndAsync();
        await python.StandardOutput.ReadToEndAsync();
        await python.WaitForExitAsync();
        python.ExitCode.ShouldBe(0, await errors);
        return JsonNode.Parse(File.ReadAllText(output))!;
    }

    private static JsonNode Component(JsonNode sbom, string name) =>
        sbom["components"]!.AsArray().SingleOrDefault(c => c!["bom-ref"]!.GetValue<string>() == name)
        ?? throw new ShouldAssertException($"No component {name} in {sbom.ToJsonString()}");

    private static JsonNode[] Licenses(JsonNode component) =>
        component["licenses"]!.AsArray().Select(l => l!["license"] ?? throw new ShouldAssertException($"not a list of licenses: {component["licenses"]!.ToJsonString()}")).ToArray();

    private static string? WrittenAs(JsonNode license) =>
        license["properties"]?.AsArray().SingleOrDefault(p => p!["name"]!.GetValue<string>() == "buildroot:license")?["value"]?.GetValue<string>();

    private static string Text(JsonNode node, string name) =>
        node[name]?.GetValue<string>() ?? throw new ShouldAssertException($"No \"{name}\" in {node.ToJsonString()}");
}

/// <summary>
/// Needs Buildroot's manifests and its <c>generate-cyclonedx</c> in <c>../shared</c>, python3 and
/// make; skipped, saying which is missing, outside CI.
/// </summary>
internal sealed class BuildrootReferenceFactAttribute : FactAttribute
{
    public BuildrootReferenceFactAttribute()
    {
        string reference = Path.Combine(RepositoryPaths.Shared, "reference", "buildroot", "utils", "generate-cyclonedx");
        string manifests = Path.Combine(RepositoryPaths.Shared, "conformance", "buildroot-manifests", "tree");
        if (!File.Exists(reference) || !Directory.Exists(manifests))
        {
            Skip = $"Needs {reference} and {manifests} (the shared folder beside the repository).";
        }
        else if (!ToolAvailability.IsCi && new[] { "python3", "make" }.FirstOrDefault(tool => ToolAvailability.Find(tool) is null) is { } missing)
        {
            Skip = $"Needs {missing} on PATH (.ci/run installs it).";
        }
    }
}
