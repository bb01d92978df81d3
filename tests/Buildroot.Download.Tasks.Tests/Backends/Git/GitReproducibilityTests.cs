using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Git;

/// <summary>The archive depends on the commit only: not on the cache's history, location, or the files' modes and times on disk.</summary>
public sealed class GitReproducibilityTests : IDisposable
{
    private readonly TemporaryFolder _remotes = new("git-repro");

    public void Dispose() => _remotes.Dispose();

    [RequiresToolsFact("git")]
    public async Task The_same_version_from_two_caches_with_different_histories_gives_the_same_bytes()
    {
        (TestGitRemote remote, string v1, string v2) = await CreateRemoteAsync();
        using var fresh = new GitDownloadHarness("repro-a");
        using var used = new GitDownloadHarness("repro-b");
        await used.DownloadAsync(remote.Url, v2, "pkg-1");

        string fromFresh = await fresh.DownloadAsync(remote.Url, v1, "pkg-1");
        string fromUsed = await used.DownloadAsync(remote.Url, v1, "pkg-1");

        File.ReadAllBytes(fromUsed).ShouldBe(File.ReadAllBytes(fromFresh));
    }

    [RequiresToolsFact("git")]
    public async Task Modes_and_times_of_the_files_in_the_cache_do_not_reach_the_archive()
    {
        (TestGitRemote remote, string v1, _) = await CreateRemoteAsync();
        using var reference = new GitDownloadHarness("repro-ref");
        using var touched = new GitDownloadHarness("repro-touched");
        string expected = await reference.DownloadAsync(remote.Url, v1, "pkg-1");
        await touched.DownloadAsync(remote.Url, v1, "pkg-1");
        string tool = Path.Combine(touched.CacheFolder, "bin", "tool");
        string readme = Path.Combine(touched.CacheFolder, "README");
        File.SetLastWriteTimeUtc(readme, new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(tool, DateTime.UtcNow.AddDays(3));
        File.SetUnixFileMode(readme, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        string again = await touched.DownloadAsync(remote.Url, v1, "pkg-1");

        File.ReadAllBytes(again).ShouldBe(File.ReadAllBytes(expected));
    }

    private async Task<(TestGitRemote Remote, string V1, string V2)> CreateRemoteAsync()
    {
        var remote = await TestGitRemote.CreateAsync(_remotes.Path, "repro");
        await remote.CommitAsync("one", ("README", "readme\n"), ("bin/tool", "#!/bin/sh\necho tool\n"), ("src/a.c", "int a;\n"));
        await remote.GitAsync("update-index", "--chmod=+x", "bin/tool");
        await remote.GitAsync("commit", "-q", "-m", "executable tool");
        string v1 = await remote.GitAsync("rev-parse", "HEAD");
        await remote.GitAsync("rm", "-q", "src/a.c");
        string v2 = await remote.CommitAsync("two", ("src/b.c", "int b;\n"), ("README", "readme 2\n"));
        await remote.PushAsync("master");
        return (remote, v1, v2);
    }
}
