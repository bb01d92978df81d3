using System.Diagnostics;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Download;

/// <summary>
/// How a checked scratch file gets into the download folder: moved, not copied, where both
/// share a file system (a 2 GiB download must not be read and written a second time), copied
/// where they do not, and in either case complete under its final name with Buildroot's mode.
/// </summary>
public sealed class DownloadFolderTests : IDisposable
{
    private const string OtherFileSystem = "/dev/shm";

    private readonly TemporaryFolder _folder = new("dl-folder");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task On_one_file_system_the_scratch_file_is_renamed_into_place_not_copied()
    {
        var folder = new DownloadFolder(_folder.Combine("dl"), _folder.Combine("scratch"));
        string scratch = WriteScratchFile(_folder.Combine("scratch"), "pkg-1.0.tar.gz", 3 << 20);
        string inode = Inode(scratch);
        string finalPath = _folder.Combine("dl", "pkg", "pkg-1.0.tar.gz");

        await folder.InstallAsync(scratch, finalPath, executable: false, CancellationToken.None);

        Inode(finalPath).ShouldBe(inode, "the same file, renamed: its bytes were not read again");
        File.Exists(scratch).ShouldBeFalse();
        File.ReadAllBytes(finalPath).ShouldBe(Pattern(3 << 20));
        Directory.EnumerateFiles(_folder.Combine("dl", "pkg")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_scratch_file_the_backend_made_private_still_lands_with_mode_0644_less_the_umask()
    {
        var folder = new DownloadFolder(_folder.Combine("dl"), _folder.Combine("scratch"));
        string scratch = WriteScratchFile(_folder.Combine("scratch"), "tool", 10);
        File.SetUnixFileMode(scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string finalPath = _folder.Combine("dl", "pkg", "tool");

        await folder.InstallAsync(scratch, finalPath, executable: false, CancellationToken.None);

        File.GetUnixFileMode(finalPath).ShouldBe(ModeOfANewFile() & (UnixFileMode)0b110_100_100);
    }

    [OnAnotherFileSystemFact(OtherFileSystem)]
    public async Task Across_file_systems_the_scratch_file_is_copied_into_place()
    {
        using var scratchRoot = new ScratchOn(OtherFileSystem);
        var folder = new DownloadFolder(_folder.Combine("dl"), scratchRoot.Path);
        string scratch = WriteScratchFile(scratchRoot.Path, "pkg-1.0.tar.gz", 3 << 20);
        string finalPath = _folder.Combine("dl", "pkg", "pkg-1.0.tar.gz");

        await folder.InstallAsync(scratch, finalPath, executable: true, CancellationToken.None);

        File.ReadAllBytes(finalPath).ShouldBe(Pattern(3 << 20));
        File.Exists(scratch).ShouldBeFalse();
        File.GetUnixFileMode(finalPath).ShouldBe(ModeOfANewFile() & (UnixFileMode)0b110_100_100 | ExecuteWhereReadable(ModeOfANewFile()));
        Directory.EnumerateFiles(_folder.Combine("dl", "pkg")).ShouldHaveSingleItem("no temporary file is left beside it");
    }

    private static string WriteScratchFile(string folder, string name, int size)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, Pattern(size));
        return path;
    }

    private static byte[] Pattern(int size) => Enumerable.Range(0, size).Select(i => (byte)(i * 31 + (i >> 12))).ToArray();

    private static string Inode(string path) => Stat("%i", path);

    private static string Stat(string format, string path)
    {
        using Process stat = Process.Start(new ProcessStartInfo("stat") { ArgumentList = { "-c", format, "--", path }, RedirectStandardOutput = true })!;
        string output = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return output;
    }

    private UnixFileMode ModeOfANewFile()
    {
        string probe = _folder.WriteFile("umask-probe", string.Empty);
        return File.GetUnixFileMode(probe);
    }

    private static UnixFileMode ExecuteWhereReadable(UnixFileMode mode) =>
        (UnixFileMode)(((int)(mode & (UnixFileMode)0b100_100_100)) >> 2);

    /// <summary>Skipped, saying why, where the folder is not on another file system than the temp folder.</summary>
    private sealed class OnAnotherFileSystemFactAttribute : FactAttribute
    {
        public OnAnotherFileSystemFactAttribute(string folder)
        {
            if (!Directory.Exists(folder) || Stat("%d", folder) == Stat("%d", Path.GetTempPath()))
            {
                Skip = $"{folder} is not on another file system than {Path.GetTempPath()} here: nothing would cross one.";
            }
        }
    }

    /// <summary>A scratch folder on another file system, removed afterwards.</summary>
    private sealed class ScratchOn(string fileSystem) : IDisposable
    {
        public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(fileSystem, $"brdl-scratch-{Guid.NewGuid():N}")).FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
