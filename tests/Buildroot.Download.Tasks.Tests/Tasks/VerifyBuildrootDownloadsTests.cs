using System.Security.Cryptography;
using System.Text;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using Microsoft.Build.Utilities;

namespace Buildroot.Download.Tasks.Tests.Tasks;

/// <summary>
/// BuildrootVerify judges the files in the download folder by the same rules as the download:
/// what the download accepts, Verify accepts; what it would refuse, Verify reports.
/// </summary>
public sealed class VerifyBuildrootDownloadsTests : IDisposable
{
    private static readonly byte[] Released = Encoding.UTF8.GetBytes("foo 1.0, as released\n");

    private readonly TemporaryFolder _folder = new("verify-packages");
    private readonly RecordingBuildEngine _engine = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_transient_package_whose_branch_head_moved_passes_as_the_download_lets_it_pass()
    {
        PutInDownloadFolder("foo", "foo-main.tar.gz", "the branch head, one push later\n");
        string hashFile = _folder.WriteFile("packages/foo/foo.hash", $"sha256 {Sha256(Released)} foo-main.tar.gz\n");

        bool passed = Verify(Package("foo", ("Version", "main"), ("Source", "foo-main.tar.gz"), ("HashFiles", hashFile), ("TransientDownload", "true")));

        passed.ShouldBeTrue(_engine.Transcript);
        _engine.Errors.ShouldBeEmpty();
        _engine.Messages.ShouldContain(m => m.Message!.Contains("not checked against hashes (transient package)"));
    }

    [Fact]
    public void A_file_altered_after_its_download_fails_with_the_hash_mismatch()
    {
        PutInDownloadFolder("foo", "foo-1.0.tar.gz", "tampered with\n");
        string hashFile = _folder.WriteFile("packages/foo/foo.hash", $"sha256 {Sha256(Released)} foo-1.0.tar.gz\n");

        bool passed = Verify(Package("foo", ("Version", "1.0"), ("HashFiles", hashFile)));

        passed.ShouldBeFalse();
        _engine.ErrorCodes.ShouldBe([MessageCodes.HashMismatch]);
        _engine.Errors[0].Message!.ShouldStartWith("foo: foo-1.0.tar.gz has wrong sha256 hash");
    }

    [Fact]
    public void A_missing_hash_file_is_one_error_for_the_package_not_one_per_file()
    {
        PutInDownloadFolder("foo", "foo-1.0.tar.gz", "foo\n");
        PutInDownloadFolder("foo", "fix.patch", "patch\n");

        bool passed = Verify(Package("foo", ("Version", "1.0"), ("Patch", "fix.patch"), ("HashFiles", _folder.Combine("packages", "foo", "foo.hash"))));

        passed.ShouldBeFalse();
        _engine.ErrorCodes.ShouldBe([MessageCodes.HashFileUnreadable]);
    }

    private void PutInDownloadFolder(string package, string file, string content) =>
        _folder.WriteFile($"dl/{package}/{file}", content);

    private bool Verify(params TaskItem[] packages) =>
        new VerifyBuildrootDownloads
        {
            BuildEngine = _engine,
            Packages = packages,
            DownloadDirectory = _folder.Combine("dl"),
            ScratchDirectory = _folder.Combine("obj"),
            BackupSite = string.Empty,
        }.Execute();

    private static TaskItem Package(string name, params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(name);
        item.SetMetadata("Site", "https://example.org/foo");
        foreach ((string key, string value) in metadata)
        {
            item.SetMetadata(key, value);
        }

        return item;
    }

    private static string Sha256(byte[] data) => Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();
}
