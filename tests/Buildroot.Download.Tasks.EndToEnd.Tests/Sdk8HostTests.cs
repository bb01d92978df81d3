using System.Diagnostics;
using System.IO.Compression;
using System.Security;
using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// The claim that the package works with the .NET SDK 8, tested without it: only SDK 10 installs
/// here, but the package registry serves MSBuild's engine as SDK 8.0.4xx ships it
/// (<c>Microsoft.Build</c> 17.11.48) and the .NET 8 runtime. <c>tests/Buildroot.Download.Tasks.Sdk8Host</c>
/// is published self-contained with both, and builds a plain project that imports the packed
/// package's <c>build/</c> files: a download (http, hash-checked), a go vendoring and a verify,
/// all in the MSBuild of SDK 8 on .NET 8.
/// </summary>
/// <remarks>
/// What it does not cover: the SDK 8's own targets (Microsoft.NET.Sdk) around the package, which
/// a plain project does not import; those are the same targets the SDK 10 tests run with.
/// </remarks>
[Collection(EndToEndCollection.Name)]
public sealed class Sdk8HostTests(PackedPackage package, ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    [RequiresToolsFact("go", "tar", "gzip")]
    public async Task The_MSBuild_of_SDK_8_on_dotnet_8_downloads_verifies_and_vendors()
    {
        string host = await PublishHostAsync();
        string packageFolder = ExtractPackage();
        using var server = new LoopbackHttpServer();
        byte[] tarball = Payloads.Bytes("greeting-1.0");
        server.Serve("/greeting-1.0.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "sdk8");
        project.WriteFile("greeting.hash", Payloads.HashLine("greeting-1.0.tar.gz", tarball));
        string upstream = Path.Combine(project.Root, "upstream");
        PackGoSample(upstream);
        string plain = project.WriteFile("Plain.proj", $"""
            <Project>
              <Import Project="{SecurityElement.Escape(packageFolder)}/build/Buildroot.Download.Tasks.props" />
              <ItemGroup>
                <BuildrootPackage Include="greeting" Version="1.0" Site="{server.BaseUri}" HashFiles="greeting.hash" />
                <BuildrootPackage Include="go-hello" Version="1.0" Site="file://{SecurityElement.Escape(upstream)}" DownloadPostProcess="go" />
              </ItemGroup>
              <Import Project="{SecurityElement.Escape(packageFolder)}/build/Buildroot.Download.Tasks.targets" />
            </Project>
            """);
        string[] settings =
        [
            $"BuildrootDlDir={project.DownloadFolder}",
            "BuildrootBackupSite=",
            $"BuildrootGoProxy=file://{Path.Combine(RepositoryPaths.TestAssets, "vendoring", "goproxy")}",
        ];

        string download = await RunHostAsync(host, plain, "BuildrootSource", settings, expectSuccess: true);

        download.ShouldContain("host runtime: .NET 8.0.");
        download.ShouldContain("host MSBuild: 17.11.");
        download.ShouldMatch(@"tasks assembly: [^\n]*[/\\]tasks[/\\]net8\.0[/\\]Buildroot\.Download\.Tasks\.dll");
        File.ReadAllBytes(project.DownloadedPath("greeting", "greeting-1.0.tar.gz")).ShouldBe(tarball);
        string vendored = project.DownloadedPath("go-hello", "go-hello-1.0-go2.tar.gz");
        TarContents.Names(vendored).ShouldContain("go-hello-1.0/vendor/modules.txt");
        TarContents.ReadText(vendored, "go-hello-1.0/vendor/example.com/brdl/greeting/greeting.go").ShouldContain("package greeting");

        (await RunHostAsync(host, plain, "BuildrootVerify", settings, expectSuccess: true)).ShouldNotContain("error BRDL");

        // A verify that could not fail would prove nothing: spoil the file, and it must.
        File.WriteAllText(project.DownloadedPath("greeting", "greeting-1.0.tar.gz"), "spoiled");
        (await RunHostAsync(host, plain, "BuildrootVerify", settings, expectSuccess: false)).ShouldContain("error BRDL0202");
    }

    /// <summary>The host, published once per run: self-contained, so it runs on the .NET 8 runtime it brings.</summary>
    private async Task<string> PublishHostAsync()
    {
        string folder = Path.Combine(package.RunFolder, "sdk8-host");
        string host = Path.Combine(folder, "Buildroot.Download.Tasks.Sdk8Host");
        if (!File.Exists(host))
        {
            string project = Path.Combine(RepositoryPaths.Root, "tests", "Buildroot.Download.Tasks.Sdk8Host", "Buildroot.Download.Tasks.Sdk8Host.csproj");
            string transcript = await RunAsync(
                PackedPackage.DotNet,
                ["publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "-o", folder,
                 "--artifacts-path", Path.Combine(package.RunFolder, "sdk8-host-artifacts"), "-nodeReuse:false", "-tl:off"],
                RepositoryPaths.Root,
                expectSuccess: true);
            File.Exists(host).ShouldBeTrue(transcript);
        }

        return host;
    }

    /// <summary>The packed .nupkg unzipped, as NuGet lays a package out: build/ beside tasks/.</summary>
    private string ExtractPackage()
    {
        string folder = Path.Combine(package.RunFolder, "sdk8-package");
        if (!Directory.Exists(folder))
        {
            ZipFile.ExtractToDirectory(Path.Combine(package.FeedFolder, $"{PackedPackage.PackageId}.{package.Version}.nupkg"), folder);
        }

        return folder;
    }

    /// <summary>
    /// testassets/vendoring/go-hello as a tarball with top folder go-hello-1.0/, under the name the
    /// package's default Source has with the go post-process (as Buildroot, a file site serves it so).
    /// </summary>
    private static void PackGoSample(string upstream)
    {
        string sources = Path.Combine(upstream, "src", "go-hello-1.0");
        Directory.CreateDirectory(sources);
        foreach (string file in Directory.GetFiles(Path.Combine(RepositoryPaths.TestAssets, "vendoring", "go-hello")))
        {
            File.Copy(file, Path.Combine(sources, Path.GetFileName(file)));
        }

        VcsTool.Run(upstream, "tar", "--format=posix", "-czf", Path.Combine(upstream, "go-hello-1.0-go2.tar.gz"), "-C", Path.Combine(upstream, "src"), "go-hello-1.0");
    }

    private Task<string> RunHostAsync(string host, string project, string targets, string[] properties, bool expectSuccess) =>
        RunAsync(host, [project, targets, .. properties], Path.GetDirectoryName(project)!, expectSuccess);

    private async Task<string> RunAsync(string program, string[] arguments, string workingDirectory, bool expectSuccess)
    {
        var startInfo = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        package.PrepareEnvironment(startInfo, forTestProject: false);
        using var child = ChildProcess.Start(startInfo);
        child.CloseInput();
        int exitCode = await child.WaitForExitAsync(Limit);
        string transcript = $"$ {program} {string.Join(' ', arguments)}{Environment.NewLine}exit code {exitCode}{Environment.NewLine}{child.Output}";
        output.WriteLine(transcript);
        (exitCode == 0).ShouldBe(expectSuccess, transcript);
        return child.Output;
    }
}
