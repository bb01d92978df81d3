using System.Security.Cryptography;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Git;

/// <summary>
/// LFS round trips through git-lfs's own file:// support (its standalone transfer agent):
/// the test pushes LFS objects into a bare repository and the backend fetches them back.
/// </summary>
public sealed class GitLfsTests : IDisposable
{
    private const string PointerStart = "version https://git-lfs.github.com/spec/v1\n";

    private readonly GitDownloadHarness _harness = new("git-lfs");

    public void Dispose() => _harness.Dispose();

    [RequiresToolsFact("git", "git-lfs")]
    public async Task With_LFS_asked_the_archive_holds_the_large_files_content()
    {
        (TestGitRemote remote, string commit, byte[] content) = await CreateLfsRemoteAsync("big");

        string archive = await _harness.DownloadAsync(_harness.Request(remote.Url, commit, "pkg-1") with { GitLfs = true });

        string extracted = TarListing.Extract(archive, _harness.Folder.Combine("x"));
        File.ReadAllBytes(Path.Combine(extracted, "pkg-1/data.bin")).ShouldBe(content);
    }

    [RequiresToolsFact("git", "git-lfs")]
    public async Task Without_LFS_asked_the_archive_holds_the_pointer_files()
    {
        (TestGitRemote remote, string commit, byte[] content) = await CreateLfsRemoteAsync("big");

        string archive = await _harness.DownloadAsync(_harness.Request(remote.Url, commit, "pkg-1"));

        string extracted = TarListing.Extract(archive, _harness.Folder.Combine("x"));
        string pointer = File.ReadAllText(Path.Combine(extracted, "pkg-1/data.bin"));
        pointer.ShouldStartWith(PointerStart);
        pointer.ShouldContain($"oid sha256:{Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant()}\n");
    }

    [RequiresToolsFact("git", "git-lfs")]
    public async Task Without_LFS_asked_the_archive_holds_pointers_even_from_a_cache_where_LFS_was_installed()
    {
        (TestGitRemote remote, string v1, _) = await CreateLfsRemoteAsync("big");
        byte[] v2Content = RandomNumberGenerator.GetBytes(2000);
        await File.WriteAllBytesAsync(Path.Combine(remote.WorkPath, "data.bin"), v2Content);
        string v2 = await remote.CommitAsync("new large file");
        await remote.PushAsync("master");
        await _harness.DownloadAsync(_harness.Request(remote.Url, v1, "pkg-1") with { GitLfs = true });

        // The cache's own config now has LFS's smudge filter: the archive must not depend on that history.
        string archive = await _harness.DownloadAsync(_harness.Request(remote.Url, v2, "pkg-2"));

        string extracted = TarListing.Extract(archive, _harness.Folder.Combine("x"));
        File.ReadAllText(Path.Combine(extracted, "pkg-2/data.bin")).ShouldStartWith(PointerStart);
    }

    [RequiresToolsFact("git", "git-lfs")]
    public async Task With_LFS_and_submodules_asked_the_large_files_of_submodules_are_fetched_too()
    {
        (TestGitRemote lib, _, byte[] content) = await CreateLfsRemoteAsync("lib");
        var super = await TestGitRemote.CreateAsync(_harness.Folder.Path, "super");
        await super.CommitAsync("main", ("main.txt", "main\n"));
        await super.GitAsync("submodule", "add", "-q", lib.Url, "lib");
        string commit = await super.CommitAsync("add lib");
        await super.PushAsync("master");

        string archive = await _harness.DownloadAsync(_harness.Request(super.Url, commit, "pkg-1") with { GitLfs = true, GitSubmodules = true });

        string extracted = TarListing.Extract(archive, _harness.Folder.Combine("x"));
        File.ReadAllBytes(Path.Combine(extracted, "pkg-1/lib/data.bin")).ShouldBe(content);
    }

    /// <summary>A repository whose data.bin (random bytes) is stored in LFS, pushed with its LFS objects.</summary>
    private async Task<(TestGitRemote Remote, string Commit, byte[] Content)> CreateLfsRemoteAsync(string name)
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, name);
        await remote.GitAsync("lfs", "install", "--local");
        await remote.GitAsync("lfs", "track", "*.bin");
        byte[] content = RandomNumberGenerator.GetBytes(3000);
        await File.WriteAllBytesAsync(Path.Combine(remote.WorkPath, "data.bin"), content);
        string commit = await remote.CommitAsync("large file");
        await remote.PushAsync("master");
        Directory.Exists(Path.Combine(remote.BarePath, "lfs", "objects")).ShouldBeTrue("git lfs did not push its objects into the bare repository");
        return (remote, commit, content);
    }
}
