using System.Diagnostics;
using System.IO.Compression;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Release;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Release;

/// <summary>License files read out of source archives, below their top folder, without unpacking them.</summary>
public sealed class LicenseFileReaderTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("licfiles");

    public void Dispose() => _folder.Dispose();

    [RequiresToolsTheory("tar", "gzip", "xz", "bzip2")]
    [InlineData("-czf", "foo-1.0.tar.gz")]
    [InlineData("-cJf", "foo-1.0.tar.xz")]
    [InlineData("-cjf", "foo-1.0.tar.bz2")]
    [InlineData("-cf", "foo-1.0.tar")]
    public async Task License_files_are_read_below_the_top_folder_whatever_the_compression(string tarOption, string archiveName)
    {
        string tree = Tree(("COPYING", "GPL\n"), ("lib/LICENSE", "BSD\n"), ("src/a.c", "int a;\n"));
        string archive = Tar(tarOption, archiveName, tree);

        IReadOnlyDictionary<string, byte[]> found = await Reader().ReadAsync(archive, ["COPYING", "lib/LICENSE", "NOTICE"], CancellationToken.None);

        found.Keys.Order(StringComparer.Ordinal).ShouldBe(["COPYING", "lib/LICENSE"]);
        found["COPYING"].ShouldBe("GPL\n"u8.ToArray());
        found["lib/LICENSE"].ShouldBe("BSD\n"u8.ToArray());
        string scratch = _folder.Combine("scratch");
        (Directory.Exists(scratch) ? Directory.GetFileSystemEntries(scratch) : []).ShouldBeEmpty("a decompressed copy is not left behind");
    }

    [RequiresToolsFact("tar", "gzip")]
    public async Task A_license_file_that_is_a_link_is_followed_inside_the_archive_but_never_out_of_it()
    {
        string tree = Tree(("LICENSES/MIT.txt", "MIT\n"));
        File.CreateSymbolicLink(Path.Combine(tree, "COPYING"), "LICENSES/MIT.txt");
        File.CreateSymbolicLink(Path.Combine(tree, "LICENSE"), "COPYING");
        File.CreateSymbolicLink(Path.Combine(tree, "PASSWD"), "../../../../../../etc/passwd");
        File.CreateSymbolicLink(Path.Combine(tree, "SHADOW"), "/etc/shadow");
        string archive = Tar("-czf", "foo-1.0.tar.gz", tree);

        IReadOnlyDictionary<string, byte[]> found = await Reader().ReadAsync(archive, ["COPYING", "LICENSE", "PASSWD", "SHADOW"], CancellationToken.None);

        found.Keys.Order(StringComparer.Ordinal).ShouldBe(["COPYING", "LICENSE"]);
        found["LICENSE"].ShouldBe("MIT\n"u8.ToArray());
    }

    [Fact]
    public async Task A_zip_with_a_top_folder_is_read_below_it()
    {
        string archive = _folder.Combine("foo-1.0.zip");
        using (ZipArchive zip = ZipFile.Open(archive, ZipArchiveMode.Create))
        {
            using (var writer = new StreamWriter(zip.CreateEntry("foo-1.0/COPYING").Open()))
            {
                writer.Write("zip license\n");
            }

            zip.CreateEntry("foo-1.0/src/");
        }

        IReadOnlyDictionary<string, byte[]> found = await Reader().ReadAsync(archive, ["COPYING"], CancellationToken.None);

        found["COPYING"].ShouldBe("zip license\n"u8.ToArray());
    }

    [Fact]
    public async Task A_source_that_is_no_archive_is_a_coded_error_naming_it()
    {
        string notAnArchive = _folder.WriteFile("foo.bin", "just bytes, no archive");

        var error = await Should.ThrowAsync<BrdlException>(() => Reader().ReadAsync(notAnArchive, ["COPYING"], CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.LicenseFilesUnreadable);
        error.Message.ShouldContain(notAnArchive);
    }

    private LicenseFileReader Reader() => new(new ProcessRunner(new RecordingLog()), _folder.Combine("scratch"));

    private string Tree(params (string Path, string Content)[] files)
    {
        string tree = _folder.Combine("src", "foo-1.0");
        foreach ((string path, string content) in files)
        {
            string file = Path.Combine(tree, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, content);
        }

        return tree;
    }

    private string Tar(string option, string archiveName, string tree)
    {
        string archive = _folder.Combine(archiveName);
        using Process tar = Process.Start(new ProcessStartInfo("tar", [option, archive, "-C", Path.GetDirectoryName(tree)!, Path.GetFileName(tree)]) { RedirectStandardError = true })!;
        string errors = tar.StandardError.ReadToEnd();
        tar.WaitForExit();
        tar.ExitCode.ShouldBe(0, errors);
        return archive;
    }
}
