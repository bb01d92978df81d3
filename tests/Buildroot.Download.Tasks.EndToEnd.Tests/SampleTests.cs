using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// The offline sample of the README (<c>testassets/sample</c>), built as <c>run.sh</c> builds it:
/// with the packed package as the only package source and no network.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SampleTests(PackedPackage package, ITestOutputHelper output)
{
    [Fact]
    public async Task Offline_sample_downloads_and_verifies_its_three_packages()
    {
        using var project = new EndToEndProject(package, output, "sample");
        project.CopyTestAsset("sample");
        string[] sampleProperties = [$"-p:SamplePackageVersion={package.Version}", $"-p:RestoreSources={package.FeedFolder}"];

        BuildResult build = await project.BuildAsync(sampleProperties);

        build.ShouldSucceed();
        build.AllCodes.ShouldBeEmpty(build.ToString());
        (string Package, string File)[] expected = [("colors", "colors-2.1.tar.gz"), ("greeting", "greeting-1.0.tar.gz"), ("wordlist", "wordlist-0.3.tar.gz")];
        foreach ((string name, string file) in expected)
        {
            string landed = project.DownloadedPath(name, file);
            File.ReadAllBytes(landed).ShouldBe(File.ReadAllBytes(Path.Combine(project.ProjectDirectory, "upstream", name, file)));
            build.Output.ShouldContain($"sample: {name} -> {landed} (verified: true)", Case.Insensitive, build.ToString());
        }

        // Nothing else a user would see: hidden entries are the package's bookkeeping (locks, stamps).
        project.FilesInDownloadFolder()
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(segment => segment.StartsWith('.')))
            .ShouldBe(expected.Select(e => Path.Combine(e.Package, e.File)));
        (await project.RunTargetAsync("BuildrootVerify", sampleProperties)).ShouldSucceed();
    }
}
