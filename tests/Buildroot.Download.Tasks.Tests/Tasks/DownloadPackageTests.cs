using System.Security.Cryptography;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Buildroot.Download.Tasks.Tests.Tasks;

/// <summary>The DownloadPackage task in-process: items in, items and coded messages out.</summary>
public sealed class DownloadPackageTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("task");
    private readonly RecordingBuildEngine _engine = new();

    public DownloadPackageTests()
    {
        _folder.WriteFile("upstream/hello-1.0.tar.gz", "hello, world\n");
        _folder.WriteFile("upstream/fix.patch", "--- a\n+++ b\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Downloaded_files_come_back_as_items_with_package_transient_and_verified()
    {
        ITaskItem hello = Package("hello", ("Version", "1.0"), ("Site", $"file://{_folder.Combine("upstream")}"), ("Patch", "fix.patch"),
            ("Hash", $"sha256:{Sha256(_folder.Combine("upstream", "hello-1.0.tar.gz"))}"));

        DownloadPackage task = Task(hello);

        task.Execute().ShouldBeTrue(_engine.Transcript);
        task.DownloadedFiles.Select(f => (f.ItemSpec, f.GetMetadata("Package"), f.GetMetadata("Transient"), f.GetMetadata("Verified"))).ShouldBe(
        [
            (_folder.Combine("dl", "hello", "hello-1.0.tar.gz"), "hello", "false", "true"),
            (_folder.Combine("dl", "hello", "fix.patch"), "hello", "false", "false"),
        ]);
        _engine.WarningCodes.ShouldBe([MessageCodes.NoHashFile], "the patch has no hash file");
    }

    [Fact]
    public void Every_invalid_package_is_reported_and_nothing_is_written()
    {
        DownloadPackage task = Task(
            Package("escape", ("Version", "1.0"), ("Source", "../escape.tar.gz"), ("Site", "file:///tmp")),
            Package("dash", ("Version", "-rf"), ("Site", "file:///tmp")),
            Package("good", ("Version", "1.0"), ("Site", $"file://{_folder.Combine("upstream")}"), ("Source", "hello-1.0.tar.gz")));

        task.Execute().ShouldBeFalse();

        _engine.ErrorCodes.ShouldBe([MessageCodes.PathEscapesDownloadFolder, MessageCodes.ValueLooksLikeOption], ignoreOrder: true);
        Directory.Exists(_folder.Combine("dl")).ShouldBeFalse("a bad package stops the task before anything is written");
    }

    [Fact]
    public void A_package_declared_twice_is_refused_before_anything_is_written()
    {
        string site = $"file://{_folder.Combine("upstream")}";

        DownloadPackage task = Task(
            Package("hello", ("Version", "1.0"), ("Site", site)),
            Package("hello", ("Version", "2.0"), ("Site", site)));

        task.Execute().ShouldBeFalse();
        _engine.ErrorCodes.ShouldBe([MessageCodes.PackageDefinedTwice]);
        Directory.Exists(_folder.Combine("dl")).ShouldBeFalse();
    }

    [Fact]
    public void Credentials_in_a_site_never_reach_the_log()
    {
        DownloadPackage task = Task(Package("secret", ("Version", "1.0"), ("Site", "http://user:hunter2@127.0.0.1:9/files")));

        task.Execute().ShouldBeFalse();

        _engine.Transcript.ShouldNotContain("hunter2");
        _engine.Transcript.ShouldContain("***@127.0.0.1");
    }

    private DownloadPackage Task(params ITaskItem[] packages) => new()
    {
        BuildEngine = _engine,
        Packages = packages,
        DownloadDirectory = _folder.Combine("dl"),
        ScratchDirectory = _folder.Combine("obj", "scratch"),
    };

    private static TaskItem Package(string name, params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(name);
        foreach ((string key, string value) in metadata)
        {
            item.SetMetadata(key, value);
        }

        return item;
    }

    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();
}
