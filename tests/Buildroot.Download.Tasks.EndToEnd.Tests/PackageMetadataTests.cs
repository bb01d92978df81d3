using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// The packed <c>.nupkg</c> is ready for nuget.org: license, project and repository (with the commit),
/// a README for users with absolute links, the build files for single- and multi-targeting projects,
/// no dependencies, and a task assembly whose embedded PDB carries Source Link to that commit.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class PackageMetadataTests(PackedPackage package)
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    private string PackagePath => Path.Combine(package.FeedFolder, $"{PackedPackage.PackageId}.{package.Version}.nupkg");

    /// <summary>What Directory.Build.props declares: the one place that names the repository.</summary>
    private static string DeclaredRepositoryUrl =>
        XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Build.props")).Descendants("RepositoryUrl").Single().Value;

    [Fact]
    public void The_nuspec_carries_license_project_repository_and_readme()
    {
        XElement metadata = Nuspec().Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? string.Empty;
        XElement License() => metadata.Elements().Single(e => e.Name.LocalName == "license");
        XElement repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");

        DeclaredRepositoryUrl.ShouldStartWith("https://");
        (License().Attribute("type")?.Value, License().Value).ShouldBe(("expression", "MIT"));
        Value("projectUrl").ShouldBe(DeclaredRepositoryUrl);
        (repository.Attribute("type")?.Value, repository.Attribute("url")?.Value).ShouldBe(("git", DeclaredRepositoryUrl));
        repository.Attribute("commit")?.Value.ShouldBe(HeadCommit());
        Value("readme").ShouldBe("README.md");
        Value("developmentDependency").ShouldBe("true");
        metadata.Elements().ShouldNotContain(e => e.Name.LocalName == "dependencies", "the task package brings no dependency to its users");
    }

    [Fact]
    public void The_package_holds_the_build_files_the_task_assembly_and_the_readme()
    {
        using ZipArchive nupkg = ZipFile.OpenRead(PackagePath);

        nupkg.Entries.Select(e => e.FullName).Where(name => !name.StartsWith('[') && !name.StartsWith("_rels/", StringComparison.Ordinal) && !name.StartsWith("package/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ShouldBe(
            [
                "Buildroot.Download.Tasks.nuspec",
                "README.md",
                "build/Buildroot.Download.Tasks.props",
                "build/Buildroot.Download.Tasks.targets",
                "buildMultiTargeting/Buildroot.Download.Tasks.props",
                "buildMultiTargeting/Buildroot.Download.Tasks.targets",
                "buildTransitive/Buildroot.Download.Tasks.props",
                "buildTransitive/Buildroot.Download.Tasks.targets",
                "tasks/net10.0/Buildroot.Download.Tasks.deps.json",
                "tasks/net10.0/Buildroot.Download.Tasks.dll",
                "tasks/net8.0/Buildroot.Download.Tasks.deps.json",
                "tasks/net8.0/Buildroot.Download.Tasks.dll",
            ]);
    }

    [Fact]
    public void The_task_assembly_for_dotnet_10_is_compiled_ahead_of_time_and_the_one_for_dotnet_8_is_plain_IL()
    {
        // ReadyToRun code is what spares a fresh build node compiling the tasks; the runtime takes it
        // only from an image made for its own major version, so the .NET 8 one carries none.
        using (var net10 = new PEReader(new MemoryStream(EntryBytes("tasks/net10.0/Buildroot.Download.Tasks.dll"))))
        {
            net10.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size.ShouldBeGreaterThan(0, "the net10.0 assembly holds ReadyToRun code");
        }

        using var net8 = new PEReader(new MemoryStream(EntryBytes("tasks/net8.0/Buildroot.Download.Tasks.dll")));
        net8.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size.ShouldBe(0, "the net8.0 assembly is IL only");
    }

    [Fact]
    public void The_package_readme_starts_with_the_use_and_links_only_absolutely()
    {
        string readme = Entry("README.md");

        string firstSection = readme.Split("\n## ")[1];
        firstSection.ShouldStartWith("Add it");
        firstSection.ShouldContain("<PackageReference Include=\"Buildroot.Download.Tasks\"");
        readme.ShouldNotContain("dotnet test", Case.Sensitive, "contributor commands belong to the repository's README");
        MarkdownLinks().Matches(readme).Select(m => m.Groups["target"].Value)
            .ShouldAllBe(target => target.StartsWith("https://", StringComparison.Ordinal), "a package README is read on nuget.org, where relative links lead nowhere");
        readme.ShouldContain($"{DeclaredRepositoryUrl}/blob/main/docs/behaviour.md");
    }

    [Theory]
    [InlineData("net8.0")]
    [InlineData("net10.0")]
    public void The_task_assembly_embeds_its_pdb_with_source_link_to_the_built_commit(string framework)
    {
        using var peReader = new PEReader(new MemoryStream(EntryBytes($"tasks/{framework}/Buildroot.Download.Tasks.dll")));
        DebugDirectoryEntry embedded = peReader.ReadDebugDirectory().Single(entry => entry.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        using MetadataReaderProvider pdb = peReader.ReadEmbeddedPortablePdbDebugDirectoryData(embedded);
        MetadataReader reader = pdb.GetMetadataReader();

        string sourceLink = reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Select(reader.GetCustomDebugInformation)
            .Where(info => reader.GetGuid(info.Kind) == SourceLinkKind)
            .Select(info => Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value)))
            .ShouldHaveSingleItem("the embedded PDB has a Source Link document");

        string owner = new Uri(DeclaredRepositoryUrl).AbsolutePath.Trim('/');
        sourceLink.ShouldContain($"https://raw.githubusercontent.com/{owner}/{HeadCommit()}/*");
        peReader.ReadDebugDirectory().ShouldContain(entry => entry.Type == DebugDirectoryEntryType.Reproducible, "a deterministic build marks its assembly reproducible");
    }

    private static string HeadCommit() => VcsTool.Run(RepositoryPaths.Root, "git", "rev-parse", "HEAD").Trim();

    private XDocument Nuspec() => XDocument.Load(new MemoryStream(EntryBytes($"{PackedPackage.PackageId}.nuspec")));

    private string Entry(string name) => Encoding.UTF8.GetString(EntryBytes(name));

    private byte[] EntryBytes(string name)
    {
        using ZipArchive nupkg = ZipFile.OpenRead(PackagePath);
        using Stream stream = nupkg.GetEntry(name)?.Open() ?? throw new ShouldAssertException($"{name} is not in {PackagePath}.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLinks();
}
