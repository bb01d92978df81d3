using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// Projects with <c>TargetFrameworks</c>: the public targets run in the outer build, the download
/// runs once there, before the per-framework builds, and each of those gets its files; and a
/// solution of such projects built in parallel, sharing one download folder, stays correct.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class MultiTargetingTests(PackedPackage package, ITestOutputHelper output)
{
    private const string Frameworks = "net8.0;netstandard2.0";

    // Printed by each per-framework build for each BuildrootDownloadedFile item it holds.
    private const string InnerFileMarker = "E2E-INNER-FILE";

    private const string ReportInnerFiles = $"""
        <Target Name="ReportInnerFiles" AfterTargets="BuildrootDownload" Condition="'$(TargetFramework)' != ''">
          <Message Importance="high" Text="{InnerFileMarker}|$(TargetFramework)|%(BuildrootDownloadedFile.Identity)|%(BuildrootDownloadedFile.Package)" />
        </Target>
        """;

    [Fact]
    public async Task Every_public_target_runs_in_a_multi_targeting_project()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("zlib-1.3.1");
        server.Serve("/zlib-1.3.1.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "mtargets");
        project.WriteFile("zlib.hash", Payloads.HashLine("zlib-1.3.1.tar.gz", tarball));
        File.WriteAllText(project.ProjectFile, project.ProjectText(
            $"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" HashFiles="zlib.hash" />""",
            targetFrameworks: Frameworks));

        BuildResult source = await project.RunTargetAsync("BuildrootSource");
        source.ShouldSucceed().ShouldNotPrint("MSB4057");
        File.ReadAllBytes(project.DownloadedPath("zlib", "zlib-1.3.1.tar.gz")).ShouldBe(tarball);

        (await project.RunTargetAsync("BuildrootVerify")).ShouldSucceed().ShouldNotPrint("MSB4057");
        (await project.RunTargetAsync("BuildrootDownload")).ShouldSucceed().ShouldNotPrint("MSB4057");

        BuildResult showInfo = await project.RunTargetAsync("BuildrootShowInfo");
        showInfo.ShouldSucceed().ShouldNotPrint("MSB4057");
        ShowInfo.Read(Path.Combine(project.IntermediateFolder, ShowInfo.FileName)).Package("zlib").Version.ShouldBe("1.3.1");
        server.RequestCount("/zlib-1.3.1.tar.gz").ShouldBe(1);

        // BuildrootVerify really checks the file here, rather than succeeding without looking.
        byte[] altered = tarball.ToArray();
        altered[altered.Length / 2] ^= 0x01;
        File.WriteAllBytes(project.DownloadedPath("zlib", "zlib-1.3.1.tar.gz"), altered);
        BuildResult verifyAltered = await project.RunTargetAsync("BuildrootVerify");
        verifyAltered.ShouldFailWith("BRDL0202").ShouldNotPrint("MSB4057");
        verifyAltered.LinesWith("BRDL0202").ShouldContain(line => line.Contains("zlib-1.3.1.tar.gz", StringComparison.Ordinal), verifyAltered.ToString());
        server.RequestCount("/zlib-1.3.1.tar.gz").ShouldBe(1);
    }

    [Fact]
    public async Task A_multi_targeting_build_downloads_once_and_every_framework_gets_the_files()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("libfoo-2.0");
        server.Serve("/libfoo-2.0.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "mtbuild");

        // No hash file: the download warns BRDL0201 each time it runs, which a user sees once per run.
        File.WriteAllText(project.ProjectFile, project.ProjectText(
            $"""<BuildrootPackage Include="libfoo" Version="2.0" Site="{server.BaseUri}" />""",
            targetFrameworks: Frameworks,
            targets: ReportInnerFiles));
        string landed = project.DownloadedPath("libfoo", "libfoo-2.0.tar.gz");

        BuildResult result = await project.BuildAsync();

        result.ShouldSucceed();
        server.RequestCount("/libfoo-2.0.tar.gz").ShouldBe(1);

        // The warning points at the package's line in the project, so MSBuild adds no "[project]" to
        // tell the builds apart: the download runs in the outer build only if it is said once, and
        // once more in MSBuild's summary.
        result.LinesWith("BRDL0201").Count().ShouldBe(2, result.ToString());
        result.LinesWith("BRDL0201").ShouldAllBe(line => line.Trim().StartsWith($"{project.ProjectFile}(", StringComparison.Ordinal), result.ToString());
        InnerFiles(result).ShouldBe([("net8.0", landed, "libfoo"), ("netstandard2.0", landed, "libfoo")], ignoreOrder: true, result.ToString());
    }

    [Fact]
    public async Task A_single_framework_of_a_multi_targeting_project_built_alone_downloads_its_files()
    {
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("libbar-1.1");
        server.Serve("/libbar-1.1.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "mtone");
        project.WriteFile("libbar.hash", Payloads.HashLine("libbar-1.1.tar.gz", tarball));
        File.WriteAllText(project.ProjectFile, project.ProjectText(
            $"""<BuildrootPackage Include="libbar" Version="1.1" Site="{server.BaseUri}" HashFiles="libbar.hash" />""",
            targetFrameworks: Frameworks,
            targets: ReportInnerFiles));

        BuildResult result = await project.BuildAsync("-f", "netstandard2.0");

        result.ShouldSucceed();
        string landed = project.DownloadedPath("libbar", "libbar-1.1.tar.gz");
        File.ReadAllBytes(landed).ShouldBe(tarball);
        InnerFiles(result).ShouldBe([("netstandard2.0", landed, "libbar")], result.ToString());
    }

    [Fact]
    public async Task A_parallel_solution_build_of_projects_sharing_a_download_folder_fetches_each_file_once()
    {
        using var server = new LoopbackHttpServer();
        string[] names = ["alpha", "beta", "gamma", "delta"];
        var tarballs = names.ToDictionary(name => name, name => Payloads.Bytes($"{name}-1.0", kilobytes: 256));
        using var project = new EndToEndProject(package, output, "solution");
        foreach (string name in names)
        {
            server.Serve($"/{name}-1.0.tar.gz", tarballs[name]);
            project.WriteFile($"{name}.hash", Payloads.HashLine($"{name}-1.0.tar.gz", tarballs[name]));
        }

        // Every project declares every package: four builds race for each file.
        string packages = string.Concat(names.Select(name =>
            $"""<BuildrootPackage Include="{name}" Version="1.0" Site="{server.BaseUri}" HashFiles="../{name}.hash" />"""));
        string[] projects = ["One/One.csproj", "Two/Two.csproj", "Three/Three.csproj", "Four/Four.csproj"];
        for (int i = 0; i < projects.Length; i++)
        {
            project.WriteFile(projects[i], project.ProjectText(packages, targetFrameworks: i % 2 == 0 ? Frameworks : null));
        }

        await project.RunDotNetAsync("new", "sln", "--name", "All", "--format", "sln");
        await project.RunDotNetAsync(["sln", "All.sln", "add", .. projects]);

        BuildResult result = await project.BuildFileAsync("All.sln", "-m");

        result.ShouldSucceed();
        foreach (string name in names)
        {
            server.RequestCount($"/{name}-1.0.tar.gz").ShouldBe(1, $"{name} is fetched once for the whole solution");
            File.ReadAllBytes(project.DownloadedPath(name, $"{name}-1.0.tar.gz")).ShouldBe(tarballs[name]);
        }

        project.FilesInDownloadFolder().Where(file => !file.Contains(".brdl-verified", StringComparison.Ordinal))
            .ShouldBe(names.Select(name => Path.Combine(name, $"{name}-1.0.tar.gz")).Order(StringComparer.Ordinal), "nothing partial is left beside them");
    }

    private static IEnumerable<(string Framework, string Path, string Package)> InnerFiles(BuildResult result) =>
        result.Output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith(InnerFileMarker + "|", StringComparison.Ordinal))
            .Select(line => line.Split('|'))
            .Select(parts => (parts[1], parts[2], parts[3]))
            .Distinct();
}
