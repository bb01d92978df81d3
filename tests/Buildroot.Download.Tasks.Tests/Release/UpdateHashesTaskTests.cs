using System.Security.Cryptography;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using Microsoft.Build.Utilities;

namespace Buildroot.Download.Tasks.Tests.Release;

/// <summary><c>UpdateBuildrootHashes</c>: where the lines go, and when there is nowhere to put them.</summary>
public sealed class UpdateHashesTaskTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("hashupd");
    private readonly RecordingBuildEngine _engine = new();
    private readonly LoopbackHttpServer _server = new();
    private readonly byte[] _tarball = RandomNumberGenerator.GetBytes(4096);

    public UpdateHashesTaskTests() => _server.Serve("/zlib/zlib-1.3.2.tar.gz", _tarball);

    public void Dispose()
    {
        _server.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void A_hash_file_that_is_a_link_is_written_through_the_link_which_stays()
    {
        string shared = _folder.WriteFile("linux/linux.hash", "# shared with linux-headers\n");
        string link = _folder.Combine("zlib", "zlib.hash");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, "../linux/linux.hash");

        Task(("HashFiles", link)).Execute().ShouldBeTrue(_engine.Transcript);

        new FileInfo(link).LinkTarget.ShouldBe("../linux/linux.hash");
        File.ReadAllText(shared).ShouldBe($"# shared with linux-headers\n# Locally calculated (BuildrootUpdateHashes)\nsha256  {Sha256(_tarball)}  zlib-1.3.2.tar.gz\n");
        _engine.WarningCodes.ShouldBe([MessageCodes.HashLineAdded]);
    }

    [Fact]
    public void A_package_that_names_no_hash_file_is_told_to_name_one_and_nothing_is_downloaded()
    {
        Task().Execute().ShouldBeTrue(_engine.Transcript);

        _engine.WarningCodes.ShouldBe([MessageCodes.NoHashFileToUpdate]);
        _engine.Warnings[0].Message!.ShouldContain("HashFiles=\"zlib.hash\"");
        _server.Requests.ShouldBeEmpty();
    }

    private UpdateBuildrootHashes Task(params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem("zlib");
        item.SetMetadata("Version", "1.3.2");
        item.SetMetadata("Site", $"{_server.BaseUri}/zlib");
        foreach ((string name, string value) in metadata)
        {
            item.SetMetadata(name, value);
        }

        return new UpdateBuildrootHashes
        {
            BuildEngine = _engine,
            Packages = [item],
            DownloadDirectory = _folder.Combine("dl"),
            ScratchDirectory = _folder.Combine("scratch"),
        };
    }

    private static string Sha256(byte[] content) => Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();
}
