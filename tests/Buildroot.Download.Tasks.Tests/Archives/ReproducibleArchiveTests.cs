using System.Collections.Immutable;
using System.IO.Compression;
using System.Text;
using Buildroot.Download.Tasks.Archives;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Archives;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // modes and symlinks are what is tested
public sealed class ReproducibleArchiveTests : IDisposable
{
    private static readonly DateTimeOffset Date = new(2021, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private readonly TemporaryFolder _scratch = new("archive");
    private readonly ProcessRunner _runner = new(new RecordingLog());

    public void Dispose() => _scratch.Dispose();

    [RequiresToolsFact("tar", "gzip", "find", "sort")]
    public async Task Tar_stream_is_byte_identical_to_buildroots_tar_command()
    {
        string tree = CreateEverythingTree("tree");

        byte[] ours = Decompress(await CreateAsync(tree, "pkg-1.0", ".git"));

        byte[] reference = GnuTarReference.CreateTar(tree, "pkg-1.0", Date, ".git");
        ours.Length.ShouldBe(reference.Length);
        ours.ShouldBe(reference);
    }

    [RequiresToolsFact("tar", "gzip", "find", "sort")]
    public async Task Compressed_bytes_are_those_of_gzip_6_n()
    {
        string tree = CreateEverythingTree("tree");

        byte[] ours = await File.ReadAllBytesAsync(await CreateAsync(tree, "pkg-1.0", ".git"));

        ours.ShouldBe(GnuTarReference.Gzip(GnuTarReference.CreateTar(tree, "pkg-1.0", Date, ".git")));
        ours[3].ShouldBe((byte)0, "no file name flag in the gzip header");
        ours.AsSpan(4, 4).ToArray().ShouldBe(new byte[4], "no timestamp in the gzip header");
    }

    [Fact]
    public async Task Headers_of_a_file_and_a_symlink_are_the_bytes_computed_by_hand()
    {
        string tree = _scratch.Combine("hand");
        Directory.CreateDirectory(tree);
        await File.WriteAllTextAsync(Path.Combine(tree, "a"), "hello\n");
        File.SetUnixFileMode(Path.Combine(tree, "a"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(tree, "b"), "a");

        byte[] tar = Decompress(await CreateAsync(tree, "base"));

        // 2021-03-04 05:06:07 UTC = 1614834367 s = 14020065277 octal; checksums added up outside this code base.
        byte[] file = HandMadeHeader("base/a", "0000755", "00000000006", (byte)'0', "", "007063");
        byte[] link = HandMadeHeader("base/b", "0000755", "00000000000", (byte)'2', "a", "007221");
        tar.AsSpan(0, 512).ToArray().ShouldBe(file);
        Encoding.ASCII.GetString(tar, 512, 6).ShouldBe("hello\n");
        tar.AsSpan(518, 512 - 6).ToArray().ShouldAllBe(b => b == 0);
        tar.AsSpan(1024, 512).ToArray().ShouldBe(link);
        tar.Length.ShouldBe(10240, "three used blocks, two end blocks, padded to one 10240-byte record");
        tar.AsSpan(1536).ToArray().ShouldAllBe(b => b == 0);
    }

    [Fact]
    public async Task A_long_name_gets_a_pax_path_record_under_the_listed_folders_PaxHeaders()
    {
        string name = new('n', 120);
        string tree = _scratch.Combine("long");
        Directory.CreateDirectory(Path.Combine(tree, "dir"));
        await File.WriteAllTextAsync(Path.Combine(tree, "dir", name), "x");

        byte[] tar = Decompress(await CreateAsync(tree, "base"));

        // Read off GNU tar: "./dir/PaxHeaders/<name>" cut to 100 bytes, 0644, size of the one record.
        string record = $"139 path=base/dir/{name}\n"; // 3 digits + " path=" + 129 + "\n"
        record.Length.ShouldBe(139);
        string paxName = ("./dir/PaxHeaders/" + name)[..100];
        tar.AsSpan(0, 512).ToArray().ShouldBe(HandMadeHeader(paxName, "0000644", "00000000213", (byte)'x', "", Checksum(paxName, "0000644", "00000000213", (byte)'x', "")));
        Encoding.ASCII.GetString(tar, 512, 139).ShouldBe(record);
        string stored = ("base/dir/" + name)[..100];
        tar.AsSpan(1024, 512).ToArray().ShouldBe(HandMadeHeader(stored, "0000644", "00000000001", (byte)'0', "", Checksum(stored, "0000644", "00000000001", (byte)'0', "")));
    }

    [Fact]
    public void A_file_past_eight_gibibytes_gets_a_pax_size_record_and_a_zero_size_field()
    {
        var output = new HeadKeepingStream(keep: 1536);
        var writer = new ReproducibleTarWriter(output, "base", Date.ToUnixTimeSeconds());
        long size = 9L * 1024 * 1024 * 1024;

        writer.WriteFile("huge"u8.ToArray(), (UnixFileMode)0b110_100_100, new ZeroStream(size), size, "huge");
        writer.Finish();

        // As GNU tar 1.34 wrote it for a 9 GiB sparse file: "19 size=9663676416\n" in ./PaxHeaders/huge.
        byte[] head = output.Head;
        head.AsSpan(0, 512).ToArray().ShouldBe(HandMadeHeader("./PaxHeaders/huge", "0000644", "00000000023", (byte)'x', "", "011146"));
        Encoding.ASCII.GetString(head, 512, 19).ShouldBe("19 size=9663676416\n");
        head.AsSpan(1024, 512).ToArray().ShouldBe(HandMadeHeader("base/huge", "0000644", "00000000000", (byte)'0', "", Checksum("base/huge", "0000644", "00000000000", (byte)'0', "")));
        output.Length.ShouldBe(((1536 + size + 1024) + 10239) / 10240 * 10240);
    }

    [RequiresToolsFact("tar")]
    public async Task Tar_lists_every_file_and_symlink_under_the_base_name_owned_by_root_at_the_date()
    {
        string tree = _scratch.Combine("listed");
        Directory.CreateDirectory(Path.Combine(tree, "bin"));
        Directory.CreateDirectory(Path.Combine(tree, "empty", "folder"));
        await File.WriteAllTextAsync(Path.Combine(tree, "bin", "run"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(tree, "bin", "run"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await File.WriteAllTextAsync(Path.Combine(tree, "secret"), "s");
        File.SetUnixFileMode(Path.Combine(tree, "secret"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.CreateSymbolicLink(Path.Combine(tree, "link"), "bin/run");

        string listing = GnuTarReference.ListVerbose(await CreateAsync(tree, "pkg-2"));

        string[] lines = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToArray();
        lines.ShouldBe(
        [
            "-rwxr-xr-x 0/0 10 2021-03-04 05:06:07 pkg-2/bin/run",
            "lrwxr-xr-x 0/0 0 2021-03-04 05:06:07 pkg-2/link -> bin/run",
            "-rw-r--r-- 0/0 1 2021-03-04 05:06:07 pkg-2/secret",
        ]);
    }

    [RequiresToolsFact("tar")]
    public async Task Only_the_excluded_top_level_git_folder_is_left_out()
    {
        string tree = _scratch.Combine("excl");
        Write(tree, ".git/HEAD", "ref: refs/heads/main\n");
        Write(tree, ".git/objects/ab/cdef", "x");
        Write(tree, "sub/.git", "gitdir: ../.git/modules/sub\n");
        Write(tree, "sub/file", "f");
        Write(tree, ".gitignore", "*.o\n");
        Write(tree, "vendor/.git/keep", "nested .git folders below the top stay");

        string listing = GnuTarReference.ListVerbose(await CreateAsync(tree, "p", "./.git"));

        string[] names = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[^1]).ToArray();
        names.ShouldBe(["p/.gitignore", "p/sub/.git", "p/sub/file", "p/vendor/.git/keep"]);
    }

    [Fact]
    public async Task Mtimes_group_and_other_bits_and_creation_order_do_not_change_the_bytes()
    {
        string first = _scratch.Combine("first");
        Write(first, "a/one", "1");
        Write(first, "b", "2");
        Write(first, "c/d/three", "3");
        File.SetUnixFileMode(Path.Combine(first, "b"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.CreateSymbolicLink(Path.Combine(first, "link"), "b");

        string second = _scratch.Combine("second");
        Write(second, "c/d/three", "3");
        File.CreateSymbolicLink(Path.Combine(second, "link"), "b");
        Write(second, "b", "2");
        Write(second, "a/one", "1");
        File.SetUnixFileMode(Path.Combine(second, "b"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        File.SetLastWriteTimeUtc(Path.Combine(second, "a/one"), new DateTime(1999, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(Path.Combine(second, "c/d/three"), DateTime.UtcNow.AddDays(-3));

        byte[] one = await File.ReadAllBytesAsync(await CreateAsync(first, "same", output: "one.tar.gz"));
        byte[] two = await File.ReadAllBytesAsync(await CreateAsync(second, "same", output: "two.tar.gz"));

        two.ShouldBe(one);
    }

    [Fact]
    public async Task Missing_gzip_says_to_install_it_or_set_BuildrootGzipPath()
    {
        string tree = _scratch.Combine("nogzip");
        Write(tree, "f", "x");
        string output = _scratch.Combine("out", "nogzip.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        var error = await Should.ThrowAsync<BrdlException>(() => ReproducibleArchive.CreateAsync(
            new ArchiveRequest(tree, "p", Date, output, [], "/nonexistent/gzip"), _runner, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.GzipMissing);
        error.Message.ShouldContain("BuildrootGzipPath");
        Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_failing_compressor_leaves_neither_the_output_nor_a_scratch_file()
    {
        string tree = _scratch.Combine("fails");
        Write(tree, "f", new string('x', 1 << 20));
        string output = _scratch.Combine("out", "fails.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        string brokenGzip = Write(_scratch.Path, "broken-gzip", "#!/bin/sh\nhead -c 100\necho 'gzip: disk full' >&2\nexit 1\n");
        File.SetUnixFileMode(brokenGzip, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var error = await Should.ThrowAsync<BrdlException>(() => ReproducibleArchive.CreateAsync(
            new ArchiveRequest(tree, "p", Date, output, [], brokenGzip), _runner, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ToolFailed);
        error.Message.ShouldContain("disk full");
        Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_existing_output_is_replaced_whole()
    {
        string tree = _scratch.Combine("replace");
        Write(tree, "f", "new");
        string output = Write(_scratch.Path, "replace.tar.gz", "an older archive");

        await ReproducibleArchive.CreateAsync(new ArchiveRequest(tree, "p", Date, output, [], "gzip"), _runner, CancellationToken.None);

        Encoding.ASCII.GetString(Decompress(output), 512, 3).ShouldBe("new");
        Directory.EnumerateFiles(_scratch.Path).ShouldBe([output]);
    }

    [RequiresToolsFact("mkfifo")]
    public async Task A_fifo_in_the_tree_is_refused_rather_than_read_forever()
    {
        string tree = _scratch.Combine("fifo");
        Write(tree, "f", "x");
        GnuTarReference.Run("mkfifo", ["--", Path.Combine(tree, "pipe")], tree);

        var error = await Should.ThrowAsync<BrdlException>(() => CreateAsync(tree, "p"));

        error.Code.ShouldBe(MessageCodes.ArchiveSourceUnreadable);
        error.Message.ShouldContain("pipe");
    }

    [Fact]
    public async Task A_missing_source_folder_is_a_coded_error_naming_it()
    {
        string missing = _scratch.Combine("no-such-folder");

        var error = await Should.ThrowAsync<BrdlException>(() => CreateAsync(missing, "p"));

        error.Code.ShouldBe(MessageCodes.ArchiveSourceUnreadable);
        error.Message.ShouldContain(missing);
    }

    [Fact]
    public async Task A_cancelled_archive_leaves_neither_the_output_nor_a_scratch_file()
    {
        string tree = _scratch.Combine("cancelled");
        Write(tree, "f", "x");
        string output = _scratch.Combine("out", "cancelled.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        await Should.ThrowAsync<OperationCanceledException>(() => ReproducibleArchive.CreateAsync(
            new ArchiveRequest(tree, "p", Date, output, [], "gzip"), _runner, cancellation.Token));

        Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!).ShouldBeEmpty();
    }

    [Fact]
    public void A_file_that_shrinks_while_it_is_archived_is_an_error_not_a_padded_entry()
    {
        var writer = new ReproducibleTarWriter(Stream.Null, "p", 0);

        var error = Should.Throw<BrdlException>(() => writer.WriteFile(
            "f"u8.ToArray(), (UnixFileMode)0b110_100_100, new MemoryStream(new byte[3]), size: 10, "the file f"));

        error.Code.ShouldBe(MessageCodes.ArchiveSourceUnreadable);
        error.Message.ShouldContain("the file f");
    }

    /// <summary>Every case the format cares about, in one tree.</summary>
    private string CreateEverythingTree(string name)
    {
        string tree = _scratch.Combine(name);
        Write(tree, "README", "readme\n");
        Write(tree, "a-b", "dash sorts before slash\n");
        Write(tree, "a/b", "slash\n");
        Write(tree, "A", "upper case sorts first\n");
        Write(tree, "a.c", "dot\n");
        Write(tree, "empty", "");
        Write(tree, "héllo wörld.txt", "non-ASCII name\n");
        Write(tree, "日本/語.txt", "non-ASCII folder\n");
        Write(tree, "\U0001F600 smile", "UTF-16 order would put this surrogate pair before U+FF21; UTF-8 bytes put it after\n");
        Write(tree, "\uFF21 fullwidth", "U+FF21\n");
        Write(tree, ".hidden", "dot files are archived\n");
        Write(tree, "exactly/" + new string('e', 100 - "pkg-1.0/exactly/".Length), "fits the name field exactly\n");
        Write(tree, "long/" + new string('l', 110), "over 100 bytes\n");
        Write(tree, string.Join('/', Enumerable.Repeat("deep-folder-name", 12)) + "/" + new string('z', 80), "over 255 bytes\n");
        Write(tree, "big.bin", new string('B', 70_000));
        Write(tree, "run.sh", "#!/bin/sh\necho run\n");
        File.SetUnixFileMode(Path.Combine(tree, "run.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Write(tree, "private", "0600\n");
        File.SetUnixFileMode(Path.Combine(tree, "private"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(tree, "group-writable", "0666 and 0777 lose group and other write\n");
        File.SetUnixFileMode(Path.Combine(tree, "group-writable"), (UnixFileMode)0b110_110_110);
        Directory.CreateDirectory(Path.Combine(tree, "empty-folder", "nested"));
        File.CreateSymbolicLink(Path.Combine(tree, "link-to-file"), "a/b");
        File.CreateSymbolicLink(Path.Combine(tree, "link-to-folder"), "a");
        File.CreateSymbolicLink(Path.Combine(tree, "dangling"), "does/not/exist");
        File.CreateSymbolicLink(Path.Combine(tree, "link-long-target"), string.Join('/', Enumerable.Repeat("target", 30)));
        File.CreateSymbolicLink(Path.Combine(tree, new string('s', 120)), string.Join('/', Enumerable.Repeat("both-long", 20)));
        File.CreateSymbolicLink(Path.Combine(tree, "link-non-ascii"), "héllo wörld.txt");
        HardLink(Path.Combine(tree, "README"), Path.Combine(tree, "zz-hard-link-to-README"));
        HardLink(Path.Combine(tree, "long", new string('l', 110)), Path.Combine(tree, "zz-hard-link-with-a-long-target"));
        Write(tree, ".git/HEAD", "excluded\n");
        Write(tree, ".git/objects/pack/p", "excluded\n");
        return tree;
    }

    private static void HardLink(string existing, string newName) =>
        GnuTarReference.Run("ln", ["--", existing, newName], Path.GetTempPath());

    private async Task<string> CreateAsync(string tree, string baseName, string? exclusion = null, string? output = null)
    {
        string path = _scratch.Combine(output ?? Path.GetFileName(tree) + ".tar.gz");
        ImmutableArray<string> exclusions = exclusion is null ? [] : [exclusion];
        await ReproducibleArchive.CreateAsync(new ArchiveRequest(tree, baseName, Date, path, exclusions, "gzip"), _runner, CancellationToken.None);
        return path;
    }

    private static string Write(string folder, string relativePath, string content)
    {
        string path = Path.Combine(folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private static byte[] Decompress(string archive)
    {
        using var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
        using var tar = new MemoryStream();
        gzip.CopyTo(tar);
        return tar.ToArray();
    }

    /// <summary>A ustar header laid out field by field at the offsets of POSIX.1 (name 0, mode 100, … prefix 345).</summary>
    private static byte[] HandMadeHeader(string name, string mode, string size, byte type, string link, string checksum)
    {
        var h = new byte[512];
        Encoding.UTF8.GetBytes(name).CopyTo(h, 0);
        Encoding.ASCII.GetBytes(mode + "\0").CopyTo(h, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(h, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(h, 116);
        Encoding.ASCII.GetBytes(size + "\0").CopyTo(h, 124);
        Encoding.ASCII.GetBytes("14020065277\0").CopyTo(h, 136);
        Encoding.ASCII.GetBytes(checksum + "\0 ").CopyTo(h, 148);
        h[156] = type;
        Encoding.UTF8.GetBytes(link).CopyTo(h, 157);
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(h, 257);
        // uname 265, gname 297, devmajor 329, devminor 337 and prefix 345 stay NUL.
        return h;
    }

    /// <summary>For headers too long to add up by hand: the sum of the other fields' bytes plus eight spaces.</summary>
    private static string Checksum(string name, string mode, string size, byte type, string link)
    {
        byte[] h = HandMadeHeader(name, mode, size, type, link, "      ");
        h.AsSpan(148, 8).Fill((byte)' ');
        return Convert.ToString(h.Sum(b => b), 8).PadLeft(6, '0');
    }

    /// <summary>Keeps the first bytes written and counts the rest.</summary>
    private sealed class HeadKeepingStream(int keep) : Stream
    {
        private readonly MemoryStream _head = new();

        public byte[] Head => _head.ToArray();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Position;

        public override long Position { get; set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            int kept = (int)Math.Clamp(keep - Position, 0, count);
            _head.Write(buffer, offset, kept);
            Position += count;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>A file of zeros of any size, without the disk.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = (int)Math.Min(count, length - _position);
            _position += read;
            return read; // the writer's buffer is never dirtied with anything but zeros here
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
