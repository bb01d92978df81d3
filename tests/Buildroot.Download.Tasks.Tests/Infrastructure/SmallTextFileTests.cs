using System.Text;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Infrastructure;

/// <summary>Hash files and stamps read as lines exactly as <see cref="File.ReadAllLines(string)"/> reads them.</summary>
public sealed class SmallTextFileTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("small-text");

    [Theory]
    [InlineData("")]
    [InlineData("sha256 abc f.tar.gz")]
    [InlineData("sha256 abc f.tar.gz\n")]
    [InlineData("# comment\r\nsha256 abc f.tar.gz\r\n\r\nsha512 def f.tar.gz")]
    [InlineData("one\rtwo\n\nthree\r\n")]
    [InlineData("\ufeffsha256 abc f.tar.gz\n")]
    [InlineData("caf\u00e9 \u2014 \ud83d\ude00\n")]
    public void Lines_are_those_the_framework_reads(string content)
    {
        string path = _folder.Combine("file.hash");
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(content));

        SmallTextFile.ReadLines(path).ShouldBe(File.ReadAllLines(path));
        SmallTextFile.ReadLines(path, out FileFingerprint asRead).ShouldBe(File.ReadAllLines(path));
        asRead.ShouldBe(FileFingerprint.Of(path)!.Value, "a stamp compares the fingerprint taken at the read with one taken by path later");
    }

    [Fact]
    public void Invalid_UTF8_is_replaced_as_the_framework_replaces_it()
    {
        string path = _folder.Combine("latin1.hash");
        File.WriteAllBytes(path, [(byte)'n', 0xE9, (byte)'e', (byte)'\n']);

        SmallTextFile.ReadLines(path).ShouldBe(File.ReadAllLines(path));
    }

    [Fact]
    public void A_missing_file_is_the_IO_error_callers_expect()
    {
        Should.Throw<FileNotFoundException>(() => SmallTextFile.ReadLines(_folder.Combine("absent")));
        Should.Throw<FileNotFoundException>(() => SmallTextFile.ReadLines(_folder.Combine("absent"), out _));
    }

    public void Dispose() => _folder.Dispose();
}
