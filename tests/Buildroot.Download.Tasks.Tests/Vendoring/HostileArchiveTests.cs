using System.Formats.Tar;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;

namespace Buildroot.Download.Tasks.Tests.Vendoring;

/// <summary>
/// A package archive comes from the network: whatever it holds, vendoring must not write outside
/// its scratch folder. Each archive here tries to plant <c>owned.txt</c> outside it.
/// </summary>
public sealed class HostileArchiveTests : IDisposable
{
    private readonly VendoringScenario _scenario = new("hostile");

    public HostileArchiveTests()
    {
        Directory.CreateDirectory(_scenario.Root.Combine("outside"));
    }

    public static TheoryData<string, string> PostProcessesAndAttacks() => new()
    {
        { "cargo", "parent traversal" },
        { "cargo", "absolute path" },
        { "cargo", "relative symlink out" },
        { "cargo", "absolute symlink out" },
        { "go", "parent traversal" },
        { "go", "relative symlink out" },
    };

    public void Dispose() => _scenario.Dispose();

    [Theory]
    [MemberData(nameof(PostProcessesAndAttacks))]
    public async Task A_hostile_archive_is_refused_with_BRDL0402_and_nothing_lands_outside_the_scratch_folder(string postProcess, string attack)
    {
        string archive = WriteHostileArchive(attack);

        var error = await Should.ThrowAsync<BrdlException>(() => _scenario.RunAsync(archive, VendoringScenario.Package(postProcess), goProxy: "off"));

        error.Code.ShouldBe(MessageCodes.UnsafeArchiveEntry);
        Directory.GetFileSystemEntries(_scenario.Root.Combine("outside")).ShouldBeEmpty();
        Directory.GetFileSystemEntries(_scenario.Root.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe(["archives", "dl", "outside", "scratch-1"]);
    }

    [Fact]
    public async Task An_archive_without_a_single_top_folder_is_refused_with_BRDL0505()
    {
        string archive = SourceArchives.Write(
            _scenario.Root.Combine("archives", "flat.tar.gz"),
            SourceArchives.FileEntry("Cargo.toml", "[package]\nname = \"foo\"\n"),
            SourceArchives.FileEntry("src/main.rs", "fn main() {}\n"));

        var error = await Should.ThrowAsync<BrdlException>(() => _scenario.RunAsync(archive, VendoringScenario.Package("cargo")));

        error.Code.ShouldBe(MessageCodes.ArchiveWithoutSingleTopFolder);
        error.Message.ShouldContain("Cargo.toml, src");
    }

    /// <summary>
    /// The scratch folder is <c>&lt;root&gt;/scratch-1</c> and the archive is unpacked in a folder
    /// below it, so <c>foo-1.0/../../../outside</c> is <c>&lt;root&gt;/outside</c>.
    /// </summary>
    private string WriteHostileArchive(string attack)
    {
        string outside = _scenario.Root.Combine("outside");
        TarEntry[] attackEntries = attack switch
        {
            "parent traversal" => [SourceArchives.FileEntry("foo-1.0/../../../outside/owned.txt", "owned")],
            "absolute path" => [SourceArchives.FileEntry(Path.Combine(outside, "owned.txt"), "owned")],
            "relative symlink out" =>
            [
                SourceArchives.SymlinkEntry("foo-1.0/escape", "../../../outside"),
                SourceArchives.FileEntry("foo-1.0/escape/owned.txt", "owned"),
            ],
            "absolute symlink out" =>
            [
                SourceArchives.SymlinkEntry("foo-1.0/escape", outside),
                SourceArchives.FileEntry("foo-1.0/escape/owned.txt", "owned"),
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(attack)),
        };
        return SourceArchives.Write(
            _scenario.Root.Combine("archives", "hostile.tar.gz"),
            [
                SourceArchives.DirectoryEntry("foo-1.0/"),
                SourceArchives.FileEntry("foo-1.0/Cargo.toml", "[package]\nname = \"foo\"\nversion = \"1.0.0\"\n"),
                SourceArchives.FileEntry("foo-1.0/go.mod", "module example.com/foo\n\ngo 1.19\n"),
                .. attackEntries,
            ]);
    }
}
