using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>The everyday path: a package declared in a project is downloaded by <c>dotnet build</c>.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class DownloadTests(PackedPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task Package_is_downloaded_into_its_folder_and_reported_as_an_item()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("zlib-1.3.1");
        server.Serve("/releases/zlib-1.3.1.tar.xz", tarball);
        using var project = new EndToEndProject(package, output, "good");
        project.WriteFile("packages/zlib/zlib.hash", "# Locally computed\n" + Payloads.HashLine("zlib-1.3.1.tar.xz", tarball));
        project.WriteProject($"""
            <BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}/releases" Source="zlib-1.3.1.tar.xz" HashFiles="packages/zlib/zlib.hash" />
            """);

        BuildResult result = await project.BuildAsync();

        result.ShouldSucceed().ShouldPrint(">>> zlib 1.3.1 Downloading");
        result.AllCodes.ShouldBeEmpty(result.ToString());
        string landed = project.DownloadedPath("zlib", "zlib-1.3.1.tar.xz");
        File.ReadAllBytes(landed).ShouldBe(tarball);
        result.DownloadedFiles.ShouldBe([new DownloadedFile(landed, "zlib", Transient: false, Verified: true)], result.ToString());
    }

    [Fact]
    public async Task Default_source_is_name_dash_version_tar_gz_and_an_inline_hash_is_checked()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("libfoo-2.0");
        server.Serve("/libfoo-2.0.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "inline");
        project.WriteProject($"""
            <BuildrootPackage Include="libfoo" Version="2.0" Site="{server.BaseUri}" Hash="sha256:{Payloads.Sha256(tarball)}" />
            """);

        BuildResult result = await project.BuildAsync();

        result.ShouldSucceed().ShouldNotWarn("BRDL0201");
        File.ReadAllBytes(project.DownloadedPath("libfoo", "libfoo-2.0.tar.gz")).ShouldBe(tarball);
    }

    [Fact]
    public async Task Wrong_hash_fails_the_build_and_leaves_nothing_under_the_final_name()
    {
        using var server = new LoopbackHttpServer();
        server.Serve("/zlib-1.3.1.tar.gz", Payloads.Bytes("what the server has"));
        using var project = new EndToEndProject(package, output, "wronghash");
        project.WriteFile("zlib.hash", Payloads.HashLine("zlib-1.3.1.tar.gz", Payloads.Bytes("what upstream released")));
        project.WriteProject($"""
            <BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" HashFiles="zlib.hash" />
            """);

        BuildResult result = await project.BuildAsync();

        result.ShouldFailReporting("BRDL0202");
        server.RequestCount("/zlib-1.3.1.tar.gz").ShouldBe(1);
        project.FilesInDownloadFolder().ShouldBeEmpty();
    }

    [Fact]
    public async Task Wrong_inline_hash_fails_the_build()
    {
        using var server = new LoopbackHttpServer();
        server.Serve("/libfoo-2.0.tar.gz", Payloads.Bytes("libfoo-2.0"));
        using var project = new EndToEndProject(package, output, "wronginline");
        project.WriteProject($"""
            <BuildrootPackage Include="libfoo" Version="2.0" Site="{server.BaseUri}" Hash="sha256:{Payloads.Sha256(Payloads.Bytes("something else"))}" />
            """);

        BuildResult result = await project.BuildAsync();

        result.ShouldFailReporting("BRDL0202");
        project.FilesInDownloadFolder().ShouldBeEmpty();
    }

    [Fact]
    public async Task Missing_hash_file_is_a_warning_and_the_download_is_kept()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("nohash-1.0");
        server.Serve("/nohash-1.0.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "nohash");
        project.WriteProject($"""<BuildrootPackage Include="nohash" Version="1.0" Site="{server.BaseUri}" />""");

        BuildResult result = await project.BuildAsync();

        result.ShouldSucceed().ShouldWarn("BRDL0201");
        File.ReadAllBytes(project.DownloadedPath("nohash", "nohash-1.0.tar.gz")).ShouldBe(tarball);
    }

    [Fact]
    public async Task Missing_hash_file_is_an_error_when_hashes_are_forced()
    {
        using var server = new LoopbackHttpServer();
        server.Serve("/nohash-1.0.tar.gz", Payloads.Bytes("nohash-1.0"));
        using var project = new EndToEndProject(package, output, "forced");
        project.WriteProject($"""<BuildrootPackage Include="nohash" Version="1.0" Site="{server.BaseUri}" />""");

        BuildResult result = await project.BuildAsync("-p:BuildrootForceCheckHashes=true");

        result.ShouldFailWith("BRDL0201");
        project.FilesInDownloadFolder().ShouldBeEmpty();
    }

    [Fact]
    public async Task Second_build_finds_the_file_and_makes_no_request()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("zlib-1.3.1");
        server.Serve("/zlib-1.3.1.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "again");
        project.WriteFile("zlib.hash", Payloads.HashLine("zlib-1.3.1.tar.gz", tarball));
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" HashFiles="zlib.hash" />""");
        (await project.BuildAsync()).ShouldSucceed();
        int requestsAfterFirstBuild = server.Requests.Count;

        BuildResult second = await project.BuildAsync();

        second.ShouldSucceed().ShouldNotPrint(">>> zlib 1.3.1 Downloading");
        server.Requests.Count.ShouldBe(requestsAfterFirstBuild);
        second.DownloadedFiles.Select(f => f.Path).ShouldBe([project.DownloadedPath("zlib", "zlib-1.3.1.tar.gz")], second.ToString());
    }

    [Fact]
    public async Task Build_downloads_nothing_when_download_on_build_is_off_and_BuildrootSource_does()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("lazy-0.9");
        server.Serve("/lazy-0.9.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "ondemand");
        project.WriteFile("lazy.hash", Payloads.HashLine("lazy-0.9.tar.gz", tarball));
        project.WriteProject(
            $"""<BuildrootPackage Include="lazy" Version="0.9" Site="{server.BaseUri}" HashFiles="lazy.hash" />""",
            "<BuildrootDownloadOnBuild>false</BuildrootDownloadOnBuild>");

        BuildResult build = await project.BuildAsync();
        build.ShouldSucceed();
        server.Requests.ShouldBeEmpty();

        BuildResult source = await project.RunTargetAsync("BuildrootSource");

        source.ShouldSucceed().ShouldPrint(">>> lazy 0.9 Downloading");
        File.ReadAllBytes(project.DownloadedPath("lazy", "lazy-0.9.tar.gz")).ShouldBe(tarball);
    }

    [Fact]
    public async Task Existing_file_with_a_wrong_hash_is_downloaded_again()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("zlib-1.3.1");
        server.Serve("/zlib-1.3.1.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "redownload");
        project.WriteFile("zlib.hash", Payloads.HashLine("zlib-1.3.1.tar.gz", tarball));
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" HashFiles="zlib.hash" />""");
        string landed = project.DownloadedPath("zlib", "zlib-1.3.1.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(landed)!);
        File.WriteAllBytes(landed, tarball.AsSpan(0, tarball.Length / 2).ToArray()); // an interrupted copy by some other tool

        BuildResult result = await project.BuildAsync();

        // It says so (Buildroot's "Re-downloading"); ">>> Downloading" is only for a missing file.
        result.ShouldSucceed().ShouldWarn("BRDL0105");
        File.ReadAllBytes(landed).ShouldBe(tarball);
        server.RequestCount("/zlib-1.3.1.tar.gz").ShouldBe(1);
    }

    [Fact]
    public async Task File_in_the_old_flat_layout_is_moved_into_the_package_folder_without_a_download()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("zlib-1.3.1");
        server.Serve("/zlib-1.3.1.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "oldlayout");
        project.WriteFile("zlib.hash", Payloads.HashLine("zlib-1.3.1.tar.gz", tarball));
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" HashFiles="zlib.hash" />""");
        Directory.CreateDirectory(project.DownloadFolder);
        File.WriteAllBytes(Path.Combine(project.DownloadFolder, "zlib-1.3.1.tar.gz"), tarball); // where older Buildroots put it

        BuildResult result = await project.BuildAsync();

        // Buildroot still prints "Downloading" here: it looks for the file before it moves the old one.
        result.ShouldSucceed();
        File.ReadAllBytes(project.DownloadedPath("zlib", "zlib-1.3.1.tar.gz")).ShouldBe(tarball);
        server.Requests.ShouldBeEmpty();
    }
}
