using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// The MSBuild of .NET Framework (Visual Studio, msbuild.exe) cannot load the package's .NET 8
/// tasks: the build is refused with BRDL0025, which says to use <c>dotnet build</c>, before any
/// task is loaded.
/// </summary>
/// <remarks>
/// No .NET Framework MSBuild runs here, and <c>MSBuildRuntimeType</c> is reserved (it cannot be
/// given with <c>-p</c>). The package's .props copy it into <c>_BuildrootMSBuildRuntimeType</c>, and
/// the refusal is keyed on that copy, so these builds give the copy the values Full and Mono and
/// point the task assembly at a file that does not exist: any attempt to load a task would fail
/// with MSB4062. What they prove is that the refusal fires for those values, first, with its text;
/// that .NET Framework MSBuild sets <c>MSBuildRuntimeType</c> to Full is MSBuild's documented
/// behaviour, not something tested here.
/// </remarks>
[Collection(EndToEndCollection.Name)]
public sealed class UnsupportedMSBuildTests(PackedPackage package, ITestOutputHelper output)
{
    [Theory]
    [InlineData("BuildrootDownload", "Full")]
    [InlineData("BuildrootVerify", "Full")]
    [InlineData("BuildrootShowInfo", "Mono")]
    public async Task An_MSBuild_that_cannot_load_the_tasks_is_refused_with_a_coded_error_before_any_task_loads(string target, string runtimeType)
    {
        using var project = new EndToEndProject(package, output, "fullfx");
        project.WriteProject("""
            <BuildrootPackage Include="zlib" Version="1.3.1" Site="http://127.0.0.1:1" />
            <BuildrootManifest Include="packages/*.mk" />
            """);
        project.WriteFile("packages/foo.mk", "FOO_VERSION = 1.0\nFOO_SITE = http://127.0.0.1:1\n$(eval $(generic-package))\n");

        BuildResult result = await project.RunTargetAsync(
            target,
            $"-p:_BuildrootMSBuildRuntimeType={runtimeType}",
            $"-p:BuildrootDownloadTasksAssembly={Path.Combine(project.Root, "no-such-folder", "Buildroot.Download.Tasks.dll")}");

        result.ShouldFailWith("BRDL0025").ShouldNotPrint("MSB4062").ShouldNotPrint("error MSB");
        result.LinesWith("BRDL0025").ShouldContain(line => line.Contains("dotnet build", StringComparison.Ordinal) && line.Contains($"'{runtimeType}' runtime", StringComparison.Ordinal), result.ToString());
        project.FilesInDownloadFolder().ShouldBeEmpty();
    }
}
