using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Buildroot.Download.Tasks.Tests.Release;

/// <summary>What <c>WriteBuildrootLegalInfo</c> refuses, each with its code and the folder left as it was.</summary>
public sealed class LegalInfoTaskTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("legaltask");
    private readonly RecordingBuildEngine _engine = new();

    public LegalInfoTaskTests()
    {
        // libfoo-1.0.tar.gz, already in the download folder (the target downloads before the task runs).
        string tree = _folder.Combine("src", "libfoo-1.0");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "COPYING"), "GPL\n");
        Directory.CreateDirectory(_folder.Combine("dl", "libfoo"));
        using Process tar = Process.Start(new ProcessStartInfo("tar", ["-czf", _folder.Combine("dl", "libfoo", "libfoo-1.0.tar.gz"), "-C", _folder.Combine("src"), "libfoo-1.0"]))!;
        tar.WaitForExit();
    }

    private string LegalInfo => _folder.Combine("legal-info");

    public void Dispose() => _folder.Dispose();

    [RequiresToolsFact("tar")]
    public void A_license_file_that_does_not_match_its_listed_hash_is_an_error_and_nothing_is_written()
    {
        _folder.WriteFile("libfoo.hash", $"sha256  {Sha256("GPL, but another version\n")}  COPYING\n");

        WriteBuildrootLegalInfo task = Task(("LicenseFiles", "COPYING"), ("HashFiles", _folder.Combine("libfoo.hash")));

        task.Execute().ShouldBeFalse();
        _engine.ErrorCodes.ShouldBe([MessageCodes.HashMismatch], _engine.Transcript);
        _engine.Errors[0].Message!.ShouldContain("COPYING");
        Directory.Exists(LegalInfo).ShouldBeFalse();
        Directory.GetDirectories(_folder.Path).ShouldNotContain(d => d.Contains(".brdl-"), "the staging folder is removed");
    }

    [RequiresToolsFact("tar")]
    public void A_license_file_listed_with_its_hash_is_saved()
    {
        _folder.WriteFile("libfoo.hash", $"sha256  {Sha256("GPL\n")}  COPYING\n");

        Task(("LicenseFiles", "./COPYING"), ("HashFiles", _folder.Combine("libfoo.hash"))).Execute().ShouldBeTrue(_engine.Transcript);

        File.ReadAllText(Path.Combine(LegalInfo, "licenses", "libfoo-1.0", "COPYING")).ShouldBe("GPL\n");
    }

    [RequiresToolsTheory("tar")]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    public void A_license_file_outside_the_sources_is_refused(string licenseFile)
    {
        Task(("LicenseFiles", licenseFile)).Execute().ShouldBeFalse();

        _engine.ErrorCodes.ShouldBe([MessageCodes.LicenseFilePathInvalid], _engine.Transcript);
        Directory.Exists(LegalInfo).ShouldBeFalse();
    }

    [RequiresToolsFact("tar")]
    public void A_folder_that_is_not_a_legal_info_folder_is_never_replaced()
    {
        string precious = _folder.WriteFile("legal-info/thesis.tex", "years of work\n");

        Task(("LicenseFiles", "COPYING")).Execute().ShouldBeFalse();

        _engine.ErrorCodes.ShouldBe([MessageCodes.LegalInfoFolderNotOurs], _engine.Transcript);
        File.ReadAllText(precious).ShouldBe("years of work\n");
    }

    private WriteBuildrootLegalInfo Task(params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem("libfoo");
        item.SetMetadata("Version", "1.0");
        item.SetMetadata("Site", "https://example.org/libfoo");
        item.SetMetadata("License", "GPL-2.0");
        foreach ((string name, string value) in metadata)
        {
            item.SetMetadata(name, value);
        }

        return new WriteBuildrootLegalInfo
        {
            BuildEngine = _engine,
            Packages = [item],
            OutputDirectory = LegalInfo,
            ProjectName = "firmware",
            DownloadDirectory = _folder.Combine("dl"),
            ScratchDirectory = _folder.Combine("scratch"),
        };
    }

    private static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
