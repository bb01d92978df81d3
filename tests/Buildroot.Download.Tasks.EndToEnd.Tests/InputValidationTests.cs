using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>Values that would write outside the download folder or reach a tool as an option are refused, and nothing is written.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class InputValidationTests(PackedPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task Source_that_climbs_out_of_the_download_folder_is_refused()
    {
        using var server = new LoopbackHttpServer();
        server.Serve("/escape.tar.gz", Payloads.Bytes("escape"));
        using var project = new EndToEndProject(package, output, "escsource");
        project.WriteProject($"""<BuildrootPackage Include="escape" Version="1.0" Site="{server.BaseUri}" Source="../escape.tar.gz" />""");

        BuildResult result = await project.BuildAsync();

        result.ShouldFailWith("BRDL0004");
        server.Requests.ShouldBeEmpty();
        project.FilesInDownloadFolder().ShouldBeEmpty();
        File.Exists(Path.Combine(project.DownloadFolder, "escape.tar.gz")).ShouldBeFalse();
    }

    [Fact]
    public async Task Download_subfolder_that_climbs_out_of_the_download_folder_is_refused()
    {
        using var server = new LoopbackHttpServer();
        server.Serve("/escape-1.0.tar.gz", Payloads.Bytes("escape"));
        using var project = new EndToEndProject(package, output, "escsubdir");
        project.WriteProject($"""<BuildrootPackage Include="escape" Version="1.0" Site="{server.BaseUri}" DlSubdir="../x" />""");

        BuildResult result = await project.BuildAsync();

        result.ShouldFailWith("BRDL0004");
        server.Requests.ShouldBeEmpty();
        project.FilesInDownloadFolder().ShouldBeEmpty();
        Directory.Exists(Path.Combine(project.Root, "x")).ShouldBeFalse();
    }

    [Fact]
    public async Task Version_that_looks_like_an_option_is_refused()
    {
        using var project = new EndToEndProject(package, output, "option");
        string witness = Path.Combine(project.Root, "pwned");
        project.WriteProject($"""<BuildrootPackage Include="evil" Version="--upload-pack=touch {witness}" Site="http://127.0.0.1:1/evil.git" SiteMethod="git" />""");

        BuildResult result = await project.BuildAsync();

        result.ShouldFailWith("BRDL0005");
        File.Exists(witness).ShouldBeFalse();
        project.FilesInDownloadFolder().ShouldBeEmpty();
    }

    [Fact]
    public async Task Malformed_hash_file_is_refused()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("zlib-1.3.1");
        server.Serve("/zlib-1.3.1.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "badhashfile");
        project.WriteFile("zlib.hash", $"sha256 {Payloads.Sha256(tarball)}\n"); // the file name is missing
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" HashFiles="zlib.hash" />""");

        BuildResult result = await project.BuildAsync();

        result.ShouldFailWith("BRDL0205");
        result.LinesWith("BRDL0205").ShouldContain(line => line.Contains("zlib.hash", StringComparison.Ordinal), result.ToString());
        project.FilesInDownloadFolder().ShouldBeEmpty();
    }
}
