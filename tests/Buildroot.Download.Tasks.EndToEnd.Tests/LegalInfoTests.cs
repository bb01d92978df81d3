using System.Text;
using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary><c>BuildrootLegalInfo</c>: a <c>legal-info/</c> folder as Buildroot's <c>make legal-info</c> writes it.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class LegalInfoTests(PackedPackage package, ITestOutputHelper output)
{
    /// <summary>Buildroot's header line (its top-level Makefile), every field quoted as legal-manifest writes them.</summary>
    private const string BuildrootHeader = "\"PACKAGE\",\"VERSION\",\"LICENSE\",\"LICENSE FILES\",\"SOURCE ARCHIVE\",\"SOURCE SITE\",\"DEPENDENCIES WITH LICENSES\"";

    [RequiresToolsFact("tar", "gzip", "sha256sum")]
    public async Task Legal_info_saves_manifests_sources_and_license_files_read_from_the_archives()
    {
        using var server = new LoopbackHttpServer();
        using var project = new EndToEndProject(package, output, "legal");
        var archives = new SourceArchives(Path.Combine(project.Root, "archives"));

        // Redistributable, with a patch and an extra download, its license files in the archive (one in a sub-folder).
        byte[] libfoo = archives.Make("libfoo-1.0", ("COPYING", "GPL-2.0+ text\n"), ("doc/LICENSE.txt", "MIT text\n"), ("src/foo.c", "int foo;\n"));
        byte[] patch = Encoding.UTF8.GetBytes("--- a/src/foo.c\n+++ b/src/foo.c\n");
        byte[] extra = Payloads.Bytes("libfoo data", kilobytes: 2);
        server.Serve("/libfoo/libfoo-1.0.tar.gz", libfoo);
        server.Serve("/patches/0001-fix.patch", patch);
        server.Serve("/libfoo/libfoo-data.bin", extra);
        string libfooHash = Payloads.HashLine("libfoo-1.0.tar.gz", libfoo) + Payloads.HashLine("0001-fix.patch", patch)
            + Payloads.HashLine("libfoo-data.bin", extra) + $"sha256  {Payloads.Sha256(Encoding.UTF8.GetBytes("GPL-2.0+ text\n"))}  COPYING\n";
        project.WriteFile("libfoo.hash", libfooHash);

        // Not redistributable: listed, its license saved, its sources not.
        byte[] blob = archives.Make("blob-2.0", ("EULA", "You may not share this.\n"), ("blob.bin", "binary\n"));
        server.Serve("/blob/blob-2.0.tar.gz", blob);
        project.WriteFile("blob.hash", Payloads.HashLine("blob-2.0.tar.gz", blob));

        // Neither license nor license files: warned about.
        byte[] bare = archives.Make("bare-0.1", ("README", "bare\n"));
        server.Serve("/bare/bare-0.1.tar.gz", bare);
        project.WriteFile("bare.hash", Payloads.HashLine("bare-0.1.tar.gz", bare));

        // A host package from a manifest: host-manifest.csv, host-sources/, host-licenses/.
        byte[] tool = archives.Make("tool-3.0", ("LICENSE", "MIT for tool\n"));
        server.Serve("/tool/tool-3.0.tar.gz", tool);
        project.WriteFile("packages/tool/tool.hash", Payloads.HashLine("tool-3.0.tar.gz", tool));
        project.WriteFile("packages/tool/tool.mk", $"""
            TOOL_VERSION = 3.0
            TOOL_SITE = {server.BaseUri}/tool
            TOOL_LICENSE = MIT
            TOOL_LICENSE_FILES = LICENSE
            $(eval $(host-generic-package))

            """);
        project.WriteProject($"""
            <BuildrootPackage Include="libfoo" Version="1.0" Site="{server.BaseUri}/libfoo" HashFiles="libfoo.hash" License="GPL-2.0+, MIT"
                              LicenseFiles="COPYING doc/LICENSE.txt" Patch="{server.BaseUri}/patches/0001-fix.patch" ExtraDownloads="libfoo-data.bin" />
            <BuildrootPackage Include="blob" Version="2.0" Site="{server.BaseUri}/blob" HashFiles="blob.hash" License="PROPRIETARY" LicenseFiles="EULA" Redistribute="NO" />
            <BuildrootPackage Include="bare" Version="0.1" Site="{server.BaseUri}/bare" HashFiles="bare.hash" />
            <BuildrootManifest Include="packages/*/*.mk" />
            """);

        BuildResult result = await project.RunTargetAsync("BuildrootLegalInfo");

        string legal = Path.Combine(project.IntermediateFolder, "legal-info");
        result.ShouldSucceed().ShouldPrint($"Legal info produced in {legal}").ShouldWarn("BRDL1002").ShouldWarn("BRDL1003");
        result.LinesWith("BRDL1002").Concat(result.LinesWith("BRDL1003")).ShouldAllBe(line => line.Contains(": bare:"), result.ToString());

        Csv(Path.Combine(legal, "manifest.csv")).ShouldBe(
        [
            BuildrootHeader,
            Row("libfoo", "1.0", "GPL-2.0+, MIT", "COPYING doc/LICENSE.txt", "libfoo-1.0.tar.gz", $"{server.BaseUri}/libfoo", ""),
            Row("blob", "2.0", "PROPRIETARY", "EULA", "blob-2.0.tar.gz", $"{server.BaseUri}/blob", ""),
            Row("bare", "0.1", "unknown", "", "bare-0.1.tar.gz", $"{server.BaseUri}/bare", ""),
        ]);
        Csv(Path.Combine(legal, "host-manifest.csv")).ShouldBe(
        [
            BuildrootHeader,
            Row("tool", "3.0", "MIT", "LICENSE", "tool-3.0.tar.gz", $"{server.BaseUri}/tool", ""),
        ]);

        File.ReadAllBytes(Path.Combine(legal, "sources", "libfoo-1.0", "libfoo-1.0.tar.gz")).ShouldBe(libfoo);
        File.ReadAllBytes(Path.Combine(legal, "sources", "libfoo-1.0", "0001-fix.patch")).ShouldBe(patch);
        File.ReadAllBytes(Path.Combine(legal, "sources", "libfoo-1.0", "libfoo-data.bin")).ShouldBe(extra);
        File.ReadAllText(Path.Combine(legal, "sources", "libfoo-1.0", "series")).ShouldBe("0001-fix.patch\n");
        File.ReadAllText(Path.Combine(legal, "sources", "libfoo-1.0", "libfoo.hash")).ShouldBe(libfooHash);
        File.ReadAllText(Path.Combine(legal, "licenses", "libfoo-1.0", "COPYING")).ShouldBe("GPL-2.0+ text\n");
        File.ReadAllText(Path.Combine(legal, "licenses", "libfoo-1.0", "doc", "LICENSE.txt")).ShouldBe("MIT text\n");

        Directory.Exists(Path.Combine(legal, "sources", "blob-2.0")).ShouldBeFalse("blob may not be redistributed");
        File.ReadAllText(Path.Combine(legal, "licenses", "blob-2.0", "EULA")).ShouldBe("You may not share this.\n");
        File.ReadAllBytes(Path.Combine(legal, "sources", "bare-0.1", "bare-0.1.tar.gz")).ShouldBe(bare);
        Directory.Exists(Path.Combine(legal, "licenses", "bare-0.1")).ShouldBeFalse();
        File.ReadAllBytes(Path.Combine(legal, "host-sources", "tool-3.0", "tool-3.0.tar.gz")).ShouldBe(tool);
        File.ReadAllText(Path.Combine(legal, "host-licenses", "tool-3.0", "LICENSE")).ShouldBe("MIT for tool\n");
        File.ReadAllText(Path.Combine(legal, "README")).ShouldContain("WARNING: bare-0.1: cannot save license (LicenseFiles not defined)");

        // legal-info.sha256 lists every other file, sorted by path, and coreutils agrees with every line.
        string[] listed = File.ReadAllLines(Path.Combine(legal, "legal-info.sha256")).Select(line => line[66..]).ToArray();
        listed.ShouldBe(listed.Order(StringComparer.Ordinal));
        listed.ShouldBe(
            Directory.EnumerateFiles(legal, "*", SearchOption.AllDirectories)
                .Select(file => Path.GetRelativePath(legal, file))
                .Where(file => file != "legal-info.sha256")
                .Order(StringComparer.Ordinal));
        ReferenceTool.Run("sha256sum", ["--check", "--quiet", "legal-info.sha256"], legal);
    }

    [RequiresToolsFact("tar", "gzip")]
    public async Task A_license_file_not_in_the_archive_fails_and_offline_a_missing_source_is_named_both_leaving_the_last_legal_info_as_it_was()
    {
        using var server = new LoopbackHttpServer();
        using var project = new EndToEndProject(package, output, "legal-fail");
        var archives = new SourceArchives(Path.Combine(project.Root, "archives"));
        byte[] libfoo = archives.Make("libfoo-1.0", ("COPYING", "GPL\n"));
        server.Serve("/libfoo/libfoo-1.0.tar.gz", libfoo);
        project.WriteFile("libfoo.hash", Payloads.HashLine("libfoo-1.0.tar.gz", libfoo));
        const string Items = """<BuildrootPackage Include="libfoo" Version="1.0" Site="$(Site)/libfoo" HashFiles="libfoo.hash" License="GPL-2.0" LicenseFiles="$(LicenseFiles)" />""";
        project.WriteProject(Items + """<BuildrootPackage Include="later" Version="1.0" Site="$(Site)/later" Condition="'$(WithLater)' == 'true'" />""");
        string legal = Path.Combine(project.IntermediateFolder, "legal-info");
        string site = $"-p:Site={server.BaseUri}";

        (await project.RunTargetAsync("BuildrootLegalInfo", site, "-p:LicenseFiles=COPYING")).ShouldSucceed();
        string checksums = File.ReadAllText(Path.Combine(legal, "legal-info.sha256"));

        BuildResult missingLicense = await project.RunTargetAsync("BuildrootLegalInfo", site, "-p:LicenseFiles=COPYING LICENSE.md");
        missingLicense.ShouldFailWith("BRDL1004");
        missingLicense.LinesWith("BRDL1004").ShouldContain(line => line.Contains("LICENSE.md") && line.Contains("libfoo-1.0.tar.gz"), missingLicense.ToString());
        File.ReadAllText(Path.Combine(legal, "legal-info.sha256")).ShouldBe(checksums);

        BuildResult offline = await project.RunTargetAsync("BuildrootLegalInfo", site, "-p:LicenseFiles=COPYING", "-p:WithLater=true", "-p:BuildrootDownloadOffline=true");
        offline.ShouldFailWith("BRDL0102");
        offline.LinesWith("BRDL0102").ShouldContain(line => line.Contains(project.DownloadedPath("later", "later-1.0.tar.gz")), offline.ToString());
        File.ReadAllText(Path.Combine(legal, "legal-info.sha256")).ShouldBe(checksums);
        Directory.GetDirectories(project.IntermediateFolder, "legal-info*").ShouldBe([legal], "no staging folder is left behind");
    }

    private static string Row(params string[] fields) => string.Join(',', fields.Select(f => $"\"{f}\""));

    private static string[] Csv(string path) => File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Source archives as upstream makes them: <c>&lt;top&gt;/…</c>, packed by the system's tar and gzip.</summary>
    private sealed class SourceArchives(string folder)
    {
        public byte[] Make(string top, params (string Path, string Content)[] files)
        {
            string tree = Path.Combine(folder, top);
            foreach ((string path, string content) in files)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(tree, path))!);
                File.WriteAllText(Path.Combine(tree, path), content);
            }

            string archive = Path.Combine(folder, $"{top}.tar.gz");
            ReferenceTool.Run("tar", ["-czf", archive, top], folder);
            return File.ReadAllBytes(archive);
        }
    }
}
