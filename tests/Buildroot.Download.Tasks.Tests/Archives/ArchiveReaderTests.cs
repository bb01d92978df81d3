using System.Formats.Tar;
using System.IO.Compression;
using Buildroot.Download.Tasks.Archives;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Archives;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // modes and symlinks are what is tested
public sealed class ArchiveReaderTests : IDisposable
{
    private readonly TemporaryFolder _scratch = new("reader");
    private readonly string _destination;
    private readonly string _outside;

    public ArchiveReaderTests()
    {
        _destination = _scratch.Combine("dest");
        _outside = _scratch.Combine("outside");
        _scratch.WriteFile("outside/secret", "untouched");
    }

    public void Dispose() => _scratch.Dispose();

    [RequiresToolsFact("tar", "gzip")]
    public async Task An_archive_made_by_gnu_tar_unpacks_with_contents_modes_times_and_symlinks()
    {
        string tree = _scratch.Combine("src", "pkg-1.0");
        _scratch.WriteFile("src/pkg-1.0/bin/run", "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(tree, "bin/run"), (UnixFileMode)0b111_101_101);
        _scratch.WriteFile("src/pkg-1.0/private", "0600");
        File.SetUnixFileMode(Path.Combine(tree, "private"), (UnixFileMode)0b110_000_000);
        _scratch.WriteFile("src/pkg-1.0/deep/er/file.txt", "deep");
        _scratch.WriteFile("src/pkg-1.0/empty", "");
        File.SetLastWriteTimeUtc(Path.Combine(tree, "deep/er/file.txt"), new DateTime(2020, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        File.CreateSymbolicLink(Path.Combine(tree, "link"), "deep/er/file.txt");
        File.CreateSymbolicLink(Path.Combine(tree, "deep/up"), "../bin");
        string archive = _scratch.Combine("pkg.tar.gz");
        GnuTarReference.Run("tar", ["czf", archive, "-C", _scratch.Combine("src"), "pkg-1.0"], _scratch.Path);

        await ArchiveReader.ExtractAsync(archive, _destination, stripComponents: 1, CancellationToken.None);

        File.ReadAllText(Path.Combine(_destination, "bin/run")).ShouldBe("#!/bin/sh\n");
        File.GetUnixFileMode(Path.Combine(_destination, "bin/run")).ShouldBe((UnixFileMode)0b111_101_101);
        File.GetUnixFileMode(Path.Combine(_destination, "private")).ShouldBe((UnixFileMode)0b110_000_000);
        File.ReadAllText(Path.Combine(_destination, "empty")).ShouldBeEmpty();
        File.GetLastWriteTimeUtc(Path.Combine(_destination, "deep/er/file.txt")).ShouldBe(new DateTime(2020, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        new FileInfo(Path.Combine(_destination, "link")).LinkTarget.ShouldBe("deep/er/file.txt");
        File.ReadAllText(Path.Combine(_destination, "link")).ShouldBe("deep");
        new DirectoryInfo(Path.Combine(_destination, "deep/up")).LinkTarget.ShouldBe("../bin");
        Directory.Exists(Path.Combine(_destination, "pkg-1.0")).ShouldBeFalse("the top folder is stripped");
    }

    [Fact]
    public async Task Our_reproducible_archive_round_trips()
    {
        string tree = _scratch.Combine("tree");
        _scratch.WriteFile("tree/a/b/c.txt", "c");
        _scratch.WriteFile("tree/x.sh", "x");
        File.SetUnixFileMode(Path.Combine(tree, "x.sh"), (UnixFileMode)0b111_000_000);
        _scratch.WriteFile("tree/" + new string('n', 150), "long name");
        File.CreateSymbolicLink(Path.Combine(tree, "l"), "a/b/c.txt");
        string archive = _scratch.Combine("tree.tar.gz");
        await ReproducibleArchive.CreateAsync(
            new ArchiveRequest(tree, "top", DateTimeOffset.FromUnixTimeSeconds(1_600_000_000), archive, [], "gzip"),
            new ProcessRunner(new RecordingLog()),
            CancellationToken.None);

        await ArchiveReader.ExtractAsync(archive, _destination, stripComponents: 1, CancellationToken.None);

        File.ReadAllText(Path.Combine(_destination, "a/b/c.txt")).ShouldBe("c");
        File.GetUnixFileMode(Path.Combine(_destination, "x.sh")).ShouldBe((UnixFileMode)0b111_101_101);
        File.ReadAllText(Path.Combine(_destination, new string('n', 150))).ShouldBe("long name");
        new FileInfo(Path.Combine(_destination, "l")).LinkTarget.ShouldBe("a/b/c.txt");
        File.GetLastWriteTimeUtc(Path.Combine(_destination, "x.sh")).ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1_600_000_000).UtcDateTime);
    }

    [Fact]
    public async Task Entries_with_no_parts_left_after_stripping_are_skipped_and_a_git_archive_global_header_is_ignored()
    {
        string archive = Hostile(
            new PaxGlobalExtendedAttributesTarEntry(new Dictionary<string, string> { ["comment"] = "0123abcd" }),
            FileEntry("top-level-file", "dropped"),
            FileEntry("top/kept", "kept"));

        await ArchiveReader.ExtractAsync(archive, _destination, stripComponents: 1, CancellationToken.None);

        Directory.EnumerateFileSystemEntries(_destination).Select(Path.GetFileName).ShouldBe(["kept"]);
    }

    [Fact]
    public async Task A_dot_dot_path_is_refused()
    {
        string archive = Hostile(FileEntry("top/ok", "ok"), FileEntry("top/../../outside/pwned", "x"));

        await ShouldRefuse(archive, "top/../../outside/pwned");
    }

    [Fact]
    public async Task An_absolute_path_is_refused()
    {
        string archive = Hostile(FileEntry(Path.Combine(_outside, "pwned"), "x"));

        await ShouldRefuse(archive, Path.Combine(_outside, "pwned"), stripComponents: 0);
    }

    [Fact]
    public async Task A_symlink_to_an_absolute_folder_then_a_file_through_it_is_refused()
    {
        string archive = Hostile(LinkEntry("top/etc", _outside), FileEntry("top/etc/secret", "overwritten"));

        await ShouldRefuse(archive, "top/etc");
    }

    [Fact]
    public async Task A_relative_symlink_out_then_a_file_through_it_is_refused()
    {
        string archive = Hostile(LinkEntry("top/up", "../../outside"), FileEntry("top/up/pwned", "x"));

        await ShouldRefuse(archive, "top/up/pwned");
    }

    [Fact]
    public async Task A_symlink_leading_out_is_refused_and_not_left_behind()
    {
        string archive = Hostile(FileEntry("top/ok", "ok"), LinkEntry("top/escape", "../../outside/secret"));

        await ShouldRefuse(archive, "top/escape");
        File.Exists(Path.Combine(_destination, "escape")).ShouldBeFalse();
        new FileInfo(Path.Combine(_destination, "escape")).LinkTarget.ShouldBeNull();
    }

    [Fact]
    public async Task A_symlink_made_to_lead_out_by_a_later_symlink_is_refused()
    {
        // "a" -> "b/.." is harmless while "b" is a folder name; once "b" -> "." exists it means "../".
        string archive = Hostile(LinkEntry("top/a", "b/.."), LinkEntry("top/b", "."));

        await ShouldRefuse(archive, "top/a");
    }

    [Fact]
    public async Task A_hard_link_out_of_the_destination_is_refused()
    {
        string archive = Hostile(HardLinkEntry("top/h", "top/../../outside/secret"));

        await ShouldRefuse(archive, "top/h");
    }

    [Fact]
    public async Task A_hard_link_to_a_file_not_in_the_archive_is_refused()
    {
        string archive = Hostile(HardLinkEntry("top/h", Path.Combine(_outside, "secret")));

        await ShouldRefuse(archive, "top/h");
    }

    [Fact]
    public async Task A_hard_link_to_an_earlier_file_becomes_a_copy()
    {
        string archive = Hostile(FileEntry("top/original", "same"), HardLinkEntry("top/again", "top/original"));

        await ArchiveReader.ExtractAsync(archive, _destination, stripComponents: 1, CancellationToken.None);

        File.ReadAllText(Path.Combine(_destination, "again")).ShouldBe("same");
    }

    [Fact]
    public async Task A_device_file_is_refused()
    {
        var device = new PaxTarEntry(TarEntryType.CharacterDevice, "top/null") { DeviceMajor = 1, DeviceMinor = 3 };
        string archive = Hostile(device);

        await ShouldRefuse(archive, "top/null");
    }

    [Fact]
    public async Task A_symlink_already_in_the_destination_is_not_written_through()
    {
        Directory.CreateDirectory(_destination);
        Directory.CreateSymbolicLink(Path.Combine(_destination, "pre"), _outside);
        string archive = Hostile(FileEntry("top/pre/secret", "overwritten"));

        await ShouldRefuse(archive, "top/pre/secret");
    }

    [Fact]
    public async Task A_file_replacing_a_symlink_already_in_the_destination_replaces_the_link_not_its_target()
    {
        Directory.CreateDirectory(_destination);
        File.CreateSymbolicLink(Path.Combine(_destination, "secret"), Path.Combine(_outside, "secret"));
        string archive = Hostile(FileEntry("top/secret", "archived"));

        await ArchiveReader.ExtractAsync(archive, _destination, stripComponents: 1, CancellationToken.None);

        File.ReadAllText(Path.Combine(_destination, "secret")).ShouldBe("archived");
        new FileInfo(Path.Combine(_destination, "secret")).LinkTarget.ShouldBeNull();
        OutsideIsUntouched();
    }

    [Fact]
    public async Task A_file_that_is_not_an_archive_is_reported_as_unreadable()
    {
        string archive = _scratch.WriteFile("not.tar.gz", "this is not a tarball, just some text long enough to be read as a header block? no.");

        var error = await Should.ThrowAsync<BrdlException>(() => ArchiveReader.ExtractAsync(archive, _destination, 1, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ArchiveUnreadable);
    }

    [Theory]
    [InlineData("VENDOR", true)]
    [InlineData("vendor", true)]
    [InlineData("vendor/modules.txt", true)]
    [InlineData("VEND", false)]
    [InlineData("other", false)]
    [InlineData("modules.txt", false)]
    public async Task Contains_under_top_folder_answers_for_files_and_folders_under_the_top_folder(string relativePath, bool expected)
    {
        var folder = new PaxTarEntry(TarEntryType.Directory, "pkg-1.0/VENDOR/");
        string archive = Hostile(folder, FileEntry("pkg-1.0/vendor/modules.txt", "m"), FileEntry("pkg-1.0/sub/other", "o"), FileEntry("VENDOR-elsewhere/x", "x"));

        (await ArchiveReader.ContainsUnderTopFolderAsync(archive, relativePath, CancellationToken.None)).ShouldBe(expected);
    }

    private async Task ShouldRefuse(string archive, string entryNamed, int stripComponents = 1)
    {
        var error = await Should.ThrowAsync<BrdlException>(() => ArchiveReader.ExtractAsync(archive, _destination, stripComponents, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.UnsafeArchiveEntry);
        error.Message.ShouldContain($"'{entryNamed}'");
        OutsideIsUntouched();
    }

    /// <summary>The only things in the scratch folder are the destination, the sentinel folder as it was, and the archive.</summary>
    private void OutsideIsUntouched()
    {
        Directory.EnumerateFileSystemEntries(_outside).ShouldBe([Path.Combine(_outside, "secret")]);
        File.ReadAllText(Path.Combine(_outside, "secret")).ShouldBe("untouched");
        Directory.EnumerateFileSystemEntries(_scratch.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe(new[] { "archive.tar.gz", "dest", "outside" }.Where(n => n != "dest" || Directory.Exists(_destination)));
    }

    private string Hostile(params TarEntry[] entries)
    {
        string archive = _scratch.Combine("archive.tar.gz");
        using (var gzip = new GZipStream(File.Create(archive), CompressionLevel.Fastest))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (TarEntry entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        return archive;
    }

    private static PaxTarEntry FileEntry(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) };

    private static PaxTarEntry LinkEntry(string name, string target) =>
        new(TarEntryType.SymbolicLink, name) { LinkName = target };

    private static PaxTarEntry HardLinkEntry(string name, string target) =>
        new(TarEntryType.HardLink, name) { LinkName = target };
}
