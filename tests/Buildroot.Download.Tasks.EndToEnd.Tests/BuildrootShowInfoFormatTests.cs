using System.Diagnostics;
using System.Text.Json;
using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// <c>BuildrootShowInfoFormat=buildroot</c>: Buildroot's own show-info JSON, read unchanged by the
/// tools Buildroot ships for it (<c>utils/generate-cyclonedx</c>, <c>utils/add-custom-hashes</c>,
/// from <c>../shared/reference/buildroot/utils</c>).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class BuildrootShowInfoFormatTests(PackedPackage package, ITestOutputHelper output)
{
    /// <summary>Where .ci/run puts CycloneDX's SPDX license list (from the npm registry), which generate-cyclonedx would download.</summary>
    private const string SpdxLicenseList = "/usr/local/share/buildroot-download-tasks/spdx.schema.json";

    private static string ReferenceUtils => Path.Combine(RepositoryPaths.Shared, "reference", "buildroot", "utils");

    [RequiresToolsFact("python3", "jq", "make")]
    public async Task Buildroots_own_tools_read_the_buildroot_show_info_unchanged()
    {
        File.Exists(Path.Combine(ReferenceUtils, "generate-cyclonedx")).ShouldBeTrue($"Buildroot's utils are expected in {ReferenceUtils} (the shared folder beside the repository).");
        File.Exists(SpdxLicenseList).ShouldBeTrue($"{SpdxLicenseList} is missing: .ci/run fetches it from the npm registry (@cyclonedx/cyclonedx-library).");
        using var server = new LoopbackHttpServer();
        byte[] libfoo = Payloads.Bytes("libfoo-1.0");
        byte[] libbar = Payloads.Bytes("libbar-2.1");
        server.Serve("/libfoo/libfoo-1.0.tar.gz", libfoo);
        server.Serve("/libbar/libbar-2.1.tar.gz", libbar);
        using var project = new EndToEndProject(package, output, "brshowinfo");
        project.WriteFile("packages/libfoo/libfoo.mk", $"LIBFOO_VERSION = 1.0\nLIBFOO_SITE = {server.BaseUri}/libfoo\nLIBFOO_LICENSE = MIT\nLIBFOO_LICENSE_FILES = COPYING\n$(eval $(generic-package))\n");
        string libbarHash = project.WriteFile("packages/libbar/libbar.hash", Payloads.HashLine("libbar-2.1.tar.gz", libbar));
        string patch = project.WriteFile("packages/libbar/0001-fix.patch", "From: someone\nSubject: fix\nCVE: CVE-2024-0001\n---\ndiff --git a/x b/x\n");
        project.WriteFile("packages/libbar/libbar.mk", $"LIBBAR_VERSION = 2.1\nLIBBAR_SITE = {server.BaseUri}/libbar\nLIBBAR_LICENSE = GPL-2.0+, custom licence\nLIBBAR_DEPENDENCIES = libfoo\n$(eval $(autotools-package))\n");
        project.WriteProject("""<BuildrootManifest Include="packages/*/*.mk" />""");

        (await project.RunTargetAsync("BuildrootSource")).ShouldSucceed();
        BuildResult shown = await project.RunTargetAsync("BuildrootShowInfo", "-p:BuildrootShowInfoFormat=buildroot", "-p:BuildrootBackupSite=https://sources.buildroot.net");

        shown.ShouldSucceed();
        string json = Path.Combine(project.IntermediateFolder, ShowInfo.FileName);
        using (JsonDocument info = JsonDocument.Parse(File.ReadAllText(json)))
        {
            JsonElement foo = info.RootElement.GetProperty("libfoo");
            (foo.GetProperty("type").GetString(), foo.GetProperty("name").GetString(), foo.GetProperty("virtual").GetBoolean()).ShouldBe(("target", "libfoo", false));
            (foo.GetProperty("version").GetString(), foo.GetProperty("licenses").GetString(), foo.GetProperty("dl_dir").GetString()).ShouldBe(("1.0", "MIT", "libfoo"));
            JsonElement download = foo.GetProperty("downloads").EnumerateArray().ShouldHaveSingleItem();
            download.GetProperty("source").GetString().ShouldBe("libfoo-1.0.tar.gz");
            download.GetProperty("uris").EnumerateArray().Select(uri => uri.GetString()).ShouldBe(
            [
                $"http+{server.BaseUri}/libfoo",
                "https|urlencode+https://sources.buildroot.net/libfoo",
                "https|urlencode+https://sources.buildroot.net",
            ]);
            info.RootElement.GetProperty("libbar").GetProperty("hashes").EnumerateArray().Select(h => h.GetString()).ShouldBe([libbarHash]);
            info.RootElement.GetProperty("libbar").GetProperty("patches").EnumerateArray().Select(p => p.GetString()).ShouldBe([patch]);
            info.RootElement.GetProperty("libfoo").GetProperty("reverse_dependencies").EnumerateArray().Select(p => p.GetString()).ShouldBe(["libbar"]);
        }

        JsonDocument sbom = GenerateCycloneDx(project, json);
        JsonElement[] components = [.. sbom.RootElement.GetProperty("components").EnumerateArray()];
        JsonElement bar = components.Single(c => c.GetProperty("bom-ref").GetString() == "libbar");
        bar.GetProperty("version").GetString().ShouldBe("2.1");
        bar.GetProperty("licenses").EnumerateArray().Select(l => l.GetProperty("license").EnumerateObject().Single()).Select(p => $"{p.Name}={p.Value.GetString()}")
            .ShouldBe(["id=GPL-2.0+", "name=custom licence"]);
        JsonElement reference = bar.GetProperty("externalReferences").EnumerateArray().ShouldHaveSingleItem(); // the backup mirror is left out, as for Buildroot's own
        reference.GetProperty("url").GetString().ShouldBe($"{server.BaseUri}/libbar/libbar-2.1.tar.gz");
        reference.GetProperty("hashes")[0].GetProperty("content").GetString().ShouldBe(Payloads.Sha256(libbar));
        bar.GetProperty("pedigree").GetProperty("patches")[0].GetProperty("resolves")[0].GetProperty("name").GetString().ShouldBe("CVE-2024-0001");
        sbom.RootElement.GetProperty("dependencies").EnumerateArray()
            .Single(d => d.GetProperty("ref").GetString() == "libbar").GetProperty("dependsOn").EnumerateArray().Select(d => d.GetString()).ShouldBe(["libfoo"]);

        string globalPatchDir = AddCustomHashes(project, json, "libfoo-1.0.tar.gz");
        File.ReadAllText(Path.Combine(globalPatchDir, "libfoo", "libfoo.hash"))
            .ShouldBe($"# Locally calculated\nsha256  {Payloads.Sha256(libfoo)}  libfoo-1.0.tar.gz\n");
    }

    /// <summary>Runs generate-cyclonedx as Buildroot's tree holds it: its <c>make print-version</c> answered by a Makefile beside it.</summary>
    private JsonDocument GenerateCycloneDx(EndToEndProject project, string showInfo)
    {
        string tree = Path.Combine(project.Root, "buildroot");
        Directory.CreateDirectory(Path.Combine(tree, "utils"));
        File.Copy(Path.Combine(ReferenceUtils, "generate-cyclonedx"), Path.Combine(tree, "utils", "generate-cyclonedx"));
        File.WriteAllText(Path.Combine(tree, "Makefile"), "print-version:\n\t@echo 2025.11-e2e\n");
        string dlDir = Path.Combine(project.Root, "br-dl");
        Directory.CreateDirectory(Path.Combine(dlDir, "cyclonedx"));
        File.Copy(SpdxLicenseList, Path.Combine(dlDir, "cyclonedx", "spdx-1.6.schema.json"));
        string sbom = Path.Combine(project.Root, "sbom.json");

        Run(tree, new() { ["BR2_DL_DIR"] = dlDir }, "python3", Path.Combine(tree, "utils", "generate-cyclonedx"), "-i", showInfo, "-o", sbom);
        return JsonDocument.Parse(File.ReadAllText(sbom));
    }

    /// <summary>
    /// Runs add-custom-hashes in a "configured Buildroot directory" whose Makefile answers the make
    /// targets it calls from this build's results: printvars, show-info (the JSON), source and clean
    /// (the files are in the download folder already).
    /// </summary>
    private string AddCustomHashes(EndToEndProject project, string showInfo, string withoutHash)
    {
        string folder = Path.Combine(project.Root, "configured");
        string globalPatchDir = Path.Combine(folder, "patches");
        Directory.CreateDirectory(globalPatchDir);
        File.WriteAllText(Path.Combine(folder, ".config"), string.Empty);
        File.WriteAllText(Path.Combine(folder, "Makefile"), $"""
            printvars:
            	@echo "TOPDIR='{folder}'"
            	@echo "DL_DIR='{project.DownloadFolder}'"
            	@echo "BR_NO_CHECK_HASH_FOR='{withoutHash}'"
            	@echo "BR2_GLOBAL_PATCH_DIR='{globalPatchDir}'"
            show-info:
            	@cat '{showInfo}'
            source clean:
            	@true

            """.ReplaceLineEndings("\n"));
        File.Copy(Path.Combine(ReferenceUtils, "add-custom-hashes"), Path.Combine(folder, "add-custom-hashes"));

        Run(folder, [], "bash", Path.Combine(folder, "add-custom-hashes"));
        return globalPatchDir;
    }

    private void Run(string folder, Dictionary<string, string> environment, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit(120_000).ShouldBeTrue($"{program} did not finish");
        output.WriteLine($"{program} {string.Join(' ', arguments)}: exit {process.ExitCode}\n{stdout.Result}\n{stderr}");
        process.ExitCode.ShouldBe(0, stderr);
    }
}
