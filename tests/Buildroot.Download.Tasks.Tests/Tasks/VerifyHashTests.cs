using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Tests.Hashing;
using Buildroot.Download.Tasks.TestUtilities;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Buildroot.Download.Tasks.Tests.Tasks;

public sealed class VerifyHashTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("verifyhash");
    private readonly RecordingBuildEngine _engine = new();

    public void Dispose() => _folder.Dispose();

    [RequiresToolsFact("sha256sum")]
    public void A_file_matching_its_hash_file_is_verified()
    {
        string file = ReferenceDigests.WriteSampleFile(_folder.Combine("foo-1.0.tar.gz"));
        string hashFile = _folder.WriteFile("foo.hash", $"sha256  {ReferenceDigests.Of("sha256", file)}  foo-1.0.tar.gz\n");

        VerifyHash task = Run(Item(file, ("HashFiles", hashFile)));

        task.Execute().ShouldBeTrue(_engine.Transcript);
        ITaskItem verified = task.VerifiedFiles.ShouldHaveSingleItem();
        verified.ItemSpec.ShouldBe(file);
        verified.GetMetadata("HashOutcome").ShouldBe("Good");
        verified.GetMetadata("VerifiedHashes").ShouldBe("sha256");
        _engine.Errors.ShouldBeEmpty();
        _engine.Warnings.ShouldBeEmpty();
    }

    [RequiresToolsFact("sha256sum", "md5sum")]
    public void Every_failing_file_is_reported_with_its_own_code_and_the_good_ones_still_pass()
    {
        string good = ReferenceDigests.WriteSampleFile(_folder.Combine("good.tar.gz"));
        string wrong = _folder.WriteFile("wrong.tar.gz", "tampered");
        string unlisted = _folder.WriteFile("unlisted.tar.gz", "x");
        string oddAlgorithm = _folder.WriteFile("odd.tar.gz", "y");
        string hashFile = _folder.WriteFile("all.hash", string.Join(
            "\n",
            $"md5 {ReferenceDigests.Of("md5", good)} good.tar.gz",
            $"sha256 {ReferenceDigests.Of("sha256", good)} good.tar.gz",
            $"sha256 {new string('0', 64)} wrong.tar.gz",
            "whirlpool 00 odd.tar.gz",
            ""));

        VerifyHash task = Run(
            Item(good, ("HashFiles", hashFile)),
            Item(wrong, ("HashFiles", hashFile)),
            Item(unlisted, ("HashFiles", hashFile)),
            Item(oddAlgorithm, ("HashFiles", hashFile)));

        task.Execute().ShouldBeFalse();
        _engine.ErrorCodes.ShouldBe([MessageCodes.HashMismatch, MessageCodes.FileNotInHashFiles, MessageCodes.UnknownHashAlgorithm]);
        _engine.Errors[0].Message!.ShouldContain($"wrong.tar.gz has wrong sha256 hash (from {hashFile}:3)");
        _engine.Errors[0].Message!.ShouldContain($"got {ReferenceDigests.Of("sha256", wrong)}");
        _engine.Errors[0].Message!.ShouldContain("man-in-the-middle");
        _engine.Errors[1].Message!.ShouldContain($"No hash found for unlisted.tar.gz in {hashFile}");
        _engine.Errors[2].Message!.ShouldContain("Unknown hash 'whirlpool'");
        task.VerifiedFiles.Select(item => item.ItemSpec).ShouldBe([good]);
        task.VerifiedFiles[0].GetMetadata("VerifiedHashes").ShouldBe("md5;sha256");
    }

    [Fact]
    public void A_file_without_hash_file_passes_with_a_warning()
    {
        string file = _folder.WriteFile("foo.tar.gz", "abc");

        VerifyHash task = Run(Item(file));

        task.Execute().ShouldBeTrue();
        _engine.WarningCodes.ShouldBe([MessageCodes.NoHashFile]);
        _engine.Warnings[0].Message!.ShouldContain("No hash file for foo.tar.gz");
        task.VerifiedFiles.ShouldHaveSingleItem().GetMetadata("HashOutcome").ShouldBe("NoHashFile");
    }

    [Fact]
    public void A_named_hash_file_that_does_not_exist_fails_instead_of_passing_unchecked()
    {
        string file = _folder.WriteFile("foo.tar.gz", "abc");

        VerifyHash task = Run(Item(file, ("HashFiles", _folder.Combine("absent.hash"))));

        task.Execute().ShouldBeFalse();
        _engine.ErrorCodes.ShouldBe([MessageCodes.HashFileUnreadable]);
        _engine.Warnings.ShouldBeEmpty();
        task.VerifiedFiles.ShouldBeEmpty();
    }

    [Fact]
    public void A_transient_file_is_not_checked_as_the_download_does_not_check_it()
    {
        string file = _folder.WriteFile("foo-main.tar.gz", "the branch head moved on");
        string hashFile = _folder.WriteFile("foo.hash", $"sha256 {new string('1', 64)} foo-main.tar.gz\n");

        VerifyHash task = Run(Item(file, ("HashFiles", hashFile), ("Transient", "true")));

        task.Execute().ShouldBeTrue(_engine.Transcript);
        task.VerifiedFiles.ShouldHaveSingleItem().GetMetadata("HashOutcome").ShouldBe("NotChecked");
    }

    [Fact]
    public void A_file_without_hash_file_fails_when_hash_checks_are_forced()
    {
        string file = _folder.WriteFile("foo.tar.gz", "abc");

        VerifyHash task = Run(Item(file));
        task.ForceCheckHashes = "true";

        task.Execute().ShouldBeFalse();
        _engine.ErrorCodes.ShouldBe([MessageCodes.NoHashFile]);
        task.VerifiedFiles.ShouldBeEmpty();

        // One wording for BRDL0201: the error does not first say the file passes unchecked.
        string text = _engine.Errors[0].Message!;
        text.ShouldStartWith("No hash file for foo.tar.gz: refused, as BuildrootForceCheckHashes is set. Write a hash file with a line 'sha256 <hex> foo.tar.gz'");
        text.ShouldNotContain("not checked");
    }

    [Theory]
    [InlineData("YES")]
    [InlineData("true")]
    public void A_file_on_the_no_check_list_passes_when_its_hash_file_does_not_list_it(string noCheck)
    {
        string file = _folder.WriteFile("foo-hg.tar.gz", "abc");
        string hashFile = _folder.WriteFile("foo.hash", $"sha256 {new string('1', 64)} other.tar.gz\n");

        VerifyHash task = Run(Item(file, ("HashFiles", hashFile), ("NoCheck", noCheck)));

        task.Execute().ShouldBeTrue(_engine.Transcript);
        task.VerifiedFiles.ShouldHaveSingleItem().GetMetadata("HashOutcome").ShouldBe("NotListed");
    }

    [Fact]
    public void A_file_on_the_no_check_list_still_fails_a_hash_that_is_listed()
    {
        string file = _folder.WriteFile("foo.tar.gz", "abc");
        string hashFile = _folder.WriteFile("foo.hash", $"sha256 {new string('1', 64)} foo.tar.gz\n");

        VerifyHash task = Run(Item(file, ("HashFiles", hashFile), ("NoCheck", "YES")));

        task.Execute().ShouldBeFalse();
        _engine.ErrorCodes.ShouldBe([MessageCodes.HashMismatch]);
    }

    [Fact]
    public void Inline_hashes_and_the_name_in_hash_files_are_honoured()
    {
        // sha256("abc") from FIPS 180-2; the file is stored under a scratch name.
        string file = _folder.WriteFile("download.tmp", "abc");
        string hashFile = _folder.WriteFile("foo.hash", "sha256 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad foo-1.0.tar.gz\n");

        VerifyHash task = Run(Item(
            file,
            ("HashFiles", hashFile),
            ("NameInHashFiles", "foo-1.0.tar.gz"),
            ("Hash", "md5:900150983cd24fb0d6963f7d28e17f72")));

        task.Execute().ShouldBeTrue(_engine.Transcript);
        task.VerifiedFiles.ShouldHaveSingleItem().GetMetadata("VerifiedHashes").ShouldBe("sha256;md5");
    }

    [Fact]
    public void Input_errors_are_reported_per_file_with_their_codes()
    {
        string file = _folder.WriteFile("foo.tar.gz", "abc");
        string malformed = _folder.WriteFile("bad.hash", "sha256 nothex foo.tar.gz\n");

        VerifyHash task = Run(
            Item(_folder.Combine("missing.tar.gz"), ("Hash", $"sha256:{new string('1', 64)}")),
            Item(file, ("HashFiles", malformed)),
            Item(file, ("NoCheck", "maybe")));

        task.Execute().ShouldBeFalse();
        _engine.ErrorCodes.ShouldBe([MessageCodes.FileToVerifyMissing, MessageCodes.MalformedHashFile, MessageCodes.InvalidBoolean]);
        _engine.Errors[1].Message!.ShouldContain($"{malformed}:1");
    }

    private VerifyHash Run(params ITaskItem[] files) => new() { BuildEngine = _engine, Files = files };

    private static TaskItem Item(string path, params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(path);
        foreach ((string name, string value) in metadata)
        {
            item.SetMetadata(name, value);
        }

        return item;
    }
}
