using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary><c>BuildrootUpdateHashes</c>: Buildroot's <c>utils/add-custom-hashes</c> after a version bump.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class HashUpdateTests(PackedPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task After_a_version_bump_the_missing_hashes_are_added_then_a_build_that_forces_hash_checks_passes()
    {
        using var server = new LoopbackHttpServer();
        byte[] oldZlib = Payloads.Bytes("zlib-1.3.1");
        byte[] newZlib = Payloads.Bytes("zlib-1.3.2");
        byte[] patch = Payloads.Bytes("zlib 1.3.2 fix", kilobytes: 1);
        byte[] libfoo = Payloads.Bytes("libfoo-2.0");
        byte[] nightly = Payloads.Bytes("nightly, saturday");
        server.Serve("/zlib/zlib-1.3.2.tar.gz", newZlib);
        server.Serve("/zlib/0001-fix.patch", patch);
        server.Serve("/libfoo/libfoo-2.0.tar.gz", libfoo);
        server.Serve("/snapshots/nightly-main.tar.gz", nightly);
        using var project = new EndToEndProject(package, output, "hashupdate");

        // zlib was at 1.3.1, which its hash file lists; it is bumped to 1.3.2 with a new patch.
        string oldZlibLine = Payloads.HashLine("zlib-1.3.1.tar.gz", oldZlib);
        string zlibHash = project.WriteFile("zlib.hash", oldZlibLine);

        // libfoo comes from a manifest without any hash file: <name>.hash beside the manifest is made.
        project.WriteFile("packages/libfoo/libfoo.mk", $"""
            LIBFOO_VERSION = 2.0
            LIBFOO_SITE = {server.BaseUri}/libfoo
            $(eval $(generic-package))

            """);
        string libfooHash = Path.Combine(project.ProjectDirectory, "packages", "libfoo", "libfoo.hash");

        // A transient package's hash file is never touched.
        string nightlyHash = project.WriteFile("nightly.hash", "# nothing: transient\n");
        project.WriteProject($"""
            <BuildrootPackage Include="zlib" Version="1.3.2" Site="{server.BaseUri}/zlib" Patch="0001-fix.patch" HashFiles="zlib.hash" />
            <BuildrootManifest Include="packages/*/*.mk" />
            <BuildrootPackage Include="nightly" Version="main" Site="{server.BaseUri}/snapshots" TransientDownload="YES" HashFiles="nightly.hash" />
            """);

        BuildResult before = await project.BuildAsync("-p:BuildrootForceCheckHashes=true");
        before.ShouldFailWith("BRDL0203").ShouldFailWith("BRDL0201");

        BuildResult update = await project.RunTargetAsync("BuildrootUpdateHashes");

        string[] zlibLines = [$"sha256  {Payloads.Sha256(newZlib)}  zlib-1.3.2.tar.gz", $"sha256  {Payloads.Sha256(patch)}  0001-fix.patch"];
        string libfooLine = $"sha256  {Payloads.Sha256(libfoo)}  libfoo-2.0.tar.gz";
        update.ShouldSucceed().ShouldWarn("BRDL1008");
        update.LinesWith("BRDL1008").Distinct().Count().ShouldBe(3, update.ToString()); // MSBuild repeats warnings in its summary
        foreach (string line in zlibLines.Append(libfooLine))
        {
            update.ShouldPrint(line);
        }

        update.LinesWith("BRDL1008").ShouldAllBe(line => line.Contains("as the network served it now"), update.ToString());
        File.ReadAllText(zlibHash).ShouldBe(oldZlibLine + "# Locally calculated (BuildrootUpdateHashes)\n" + string.Join('\n', zlibLines) + "\n");
        File.ReadAllText(libfooHash).ShouldBe($"# Locally calculated (BuildrootUpdateHashes)\n{libfooLine}\n");
        File.ReadAllText(nightlyHash).ShouldBe("# nothing: transient\n");

        BuildResult after = await project.BuildAsync("-p:BuildrootForceCheckHashes=true");
        after.ShouldSucceed().ShouldNotWarn("BRDL0201");
        after.DownloadedFiles.Where(f => f.Package != "nightly").ShouldAllBe(f => f.Verified == true, after.ToString());

        BuildResult again = await project.RunTargetAsync("BuildrootUpdateHashes");
        again.ShouldSucceed().ShouldNotWarn("BRDL1008").ShouldPrint("every downloaded file is already in its hash files");
        File.ReadAllText(zlibHash).ShouldBe(oldZlibLine + "# Locally calculated (BuildrootUpdateHashes)\n" + string.Join('\n', zlibLines) + "\n");
    }

    [Fact]
    public async Task A_file_served_with_other_bytes_than_its_listed_hash_is_still_refused_while_updating()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("zlib-1.3.2");
        byte[] patch = Payloads.Bytes("patch", kilobytes: 1);
        server.Serve("/zlib/zlib-1.3.2.tar.gz", tarball);
        server.Serve("/zlib/0001-fix.patch", patch);
        using var project = new EndToEndProject(package, output, "hashupdate-bad");

        // The source is listed, with another hash: updating the patch's hash must not let it through.
        string listed = $"sha256  {new string('0', 64)}  zlib-1.3.2.tar.gz\n";
        string zlibHash = project.WriteFile("zlib.hash", listed);
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.2" Site="{server.BaseUri}/zlib" Patch="0001-fix.patch" HashFiles="zlib.hash" />""");

        BuildResult update = await project.RunTargetAsync("BuildrootUpdateHashes");

        update.ShouldFailReporting("BRDL0202").ShouldNotWarn("BRDL1008");
        File.ReadAllText(zlibHash).ShouldBe(listed);
        File.Exists(project.DownloadedPath("zlib", "zlib-1.3.2.tar.gz")).ShouldBeFalse();
    }
}
