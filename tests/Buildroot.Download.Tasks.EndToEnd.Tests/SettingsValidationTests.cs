using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// A wrong <c>Buildroot…</c> property is a BRDL error that names the property and what it accepts
/// (not MSBuild's own MSB4044 or MSB4030, and never silently accepted), and nothing is fetched.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SettingsValidationTests(PackedPackage package, ITestOutputHelper output)
{
    [Theory]
    [InlineData("BuildrootDlDir", "", "BRDL0010", "BuildrootDlDir is empty")]
    [InlineData("BuildrootDownloadParallelism", "-3", "BRDL0026", "from 0 to 1024")]
    [InlineData("BuildrootDownloadOnBuild", "sometimes", "BRDL0006", "use true or false")]
    [InlineData("BuildrootForceCheckHashes", "strict", "BRDL0006", "use true or false")]
    public async Task An_invalid_setting_is_a_coded_error_naming_the_property(string property, string value, string code, string accepted)
    {
        using var server = new LoopbackHttpServer();
        server.Serve("/zlib-1.3.1.tar.gz", Payloads.Bytes("zlib"));
        using var project = new EndToEndProject(package, output, "setting");
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" />""");

        BuildResult result = await project.BuildAsync($"-p:{property}={value}");

        result.ShouldFailWith(code).ShouldNotPrint("error MSB");
        result.LinesWith(code).ShouldContain(line => line.Contains(property, StringComparison.Ordinal) && line.Contains(accepted, StringComparison.Ordinal), result.ToString());
        server.Requests.ShouldBeEmpty();
        project.FilesInDownloadFolder().ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_invalid_setting_is_reported_at_once()
    {
        using var server = new LoopbackHttpServer();
        server.Serve("/zlib-1.3.1.tar.gz", Payloads.Bytes("zlib"));
        using var project = new EndToEndProject(package, output, "settings");
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" />""");

        BuildResult result = await project.BuildAsync(
            "-p:BuildrootDownloadParallelism=abc",
            "-p:BuildrootDownloadOffline=maybe",
            "-p:BuildrootPrimarySiteOnly=2",
            "-p:BuildrootPrimarySite=mirror.example.org/pub",
            "-p:BuildrootGitPath=-c");

        result.ShouldFailWith("BRDL0026").ShouldFailWith("BRDL0006").ShouldFailWith("BRDL0027").ShouldFailWith("BRDL0005").ShouldNotPrint("error MSB");
        result.LinesWith("BRDL0026").ShouldContain(line => line.Contains("BuildrootDownloadParallelism 'abc'", StringComparison.Ordinal), result.ToString());
        result.LinesWith("BRDL0006").ShouldContain(line => line.Contains("BuildrootDownloadOffline 'maybe'", StringComparison.Ordinal), result.ToString());
        result.LinesWith("BRDL0006").ShouldContain(line => line.Contains("BuildrootPrimarySiteOnly '2'", StringComparison.Ordinal), result.ToString());
        result.LinesWith("BRDL0027").ShouldContain(line => line.Contains("BuildrootPrimarySite 'mirror.example.org/pub'", StringComparison.Ordinal) && line.Contains("https://", StringComparison.Ordinal), result.ToString());
        result.LinesWith("BRDL0005").ShouldContain(line => line.Contains("BuildrootGitPath '-c'", StringComparison.Ordinal), result.ToString());
        server.Requests.ShouldBeEmpty();
        project.FilesInDownloadFolder().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_download_folder_that_is_a_file_is_refused()
    {
        using var project = new EndToEndProject(package, output, "dlfile");
        string file = project.WriteFile("not-a-folder", "x");
        project.WriteProject("""<BuildrootPackage Include="zlib" Version="1.3.1" Site="http://127.0.0.1:1" />""");

        BuildResult result = await project.RunTargetAsync("BuildrootVerify", $"-p:BuildrootDlDir={file}");

        result.ShouldFailWith("BRDL0010").ShouldNotPrint("error MSB");
        result.LinesWith("BRDL0010").ShouldContain(line => line.Contains("is a file", StringComparison.Ordinal), result.ToString());
    }
}
