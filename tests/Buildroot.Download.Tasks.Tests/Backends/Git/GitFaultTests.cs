using System.Diagnostics;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Git;

/// <summary>
/// The real git against a server that never answers, and against transports no package means:
/// the first is stopped at the stall limit (and the cache is not thrown away for it), the
/// second is refused before anything runs, in the package's site and in its submodules alike.
/// </summary>
public sealed class GitFaultTests : IDisposable
{
    private static readonly TransferLimits ShortLimits = new(TimeSpan.FromSeconds(2), TimeSpan.FromHours(1));

    private readonly GitDownloadHarness _harness = new("git-faults");

    public void Dispose() => _harness.Dispose();

    [RequiresToolsTheory("git")]
    [InlineData("http")]
    [InlineData("git")]
    public async Task A_server_that_accepts_and_never_answers_is_given_up_at_the_stall_limit(string scheme)
    {
        using var server = new SilentTcpServer();
        BackendRequest request = _harness.Request($"{server.Uri(scheme)}/repo.git", "master") with { Limits = ShortLimits };
        var clock = Stopwatch.StartNew();

        var error = await Should.ThrowAsync<BrdlException>(() => _harness.DownloadAsync(request));

        // Before, git waited for ever over git:// (and for its own two minutes of silence over http).
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        error.Code.ShouldBe(MessageCodes.ToolStalled, error.Message);
        error.Scope.ShouldBe(FailureScope.Attempt);
        error.Message.ShouldContain(TransferLimits.StallProperty);

        // A stalled server is no reason to throw the cache away and clone again: one connection, no warning.
        server.AcceptedConnections.ShouldBe(1);
        _harness.Log.Warnings.ShouldBeEmpty();
    }

    [RequiresToolsTheory("git")]
    [InlineData("fd::0", "fd")]
    [InlineData("ext::sh -c touch% /tmp/brdl-ext-ran", "ext")]
    [InlineData("testgit::/srv/repo", "testgit")]
    [InlineData("persistent-https://example.org/repo.git", "persistent-https")]
    public async Task A_site_with_a_transport_no_package_means_is_refused_before_git_runs(string site, string transport)
    {
        var error = await Should.ThrowAsync<BrdlException>(() => _harness.DownloadAsync(site, "master", baseName: "pkg-x"));

        error.Code.ShouldBe(MessageCodes.GitTransportRefused);
        error.Scope.ShouldBe(FailureScope.Package);
        error.Message.ShouldContain($"'{transport}'");
        _harness.Log.Details.ShouldBeEmpty("no git command may run");
        File.Exists("/tmp/brdl-ext-ran").ShouldBeFalse();
    }

    [RequiresToolsFact("git")]
    public async Task An_ext_submodule_is_refused_and_runs_nothing_even_where_the_users_git_config_allows_every_transport()
    {
        string marker = _harness.Folder.Combine("ext-ran");
        (TestGitRemote super, string commit) = await SuperprojectWithSubmoduleAsync($"ext::sh -c touch% {marker}");
        BackendRequest request = _harness.Request(super.Url, commit, "pkg-1") with
        {
            GitSubmodules = true,
            Tools = new ToolPaths { Git = GitWithConfig("protocol.allow=always") },
        };

        var error = await Should.ThrowAsync<BrdlException>(() => _harness.DownloadAsync(request));

        File.Exists(marker).ShouldBeFalse("the ext:: command ran");
        error.Code.ShouldBe(MessageCodes.SubmoduleTransportRefused, error.Message);
        error.Scope.ShouldBe(FailureScope.WrongContent, "a mirror's archive may still serve the package");
        error.Message.ShouldContain("'ext'");
    }

    [RequiresToolsFact("git")]
    public async Task A_local_submodule_stays_refused_where_the_users_git_config_keeps_git_s_default_for_file()
    {
        TestGitRemote library = await TestGitRemote.CreateAsync(_harness.Folder.Path, "library");
        string libraryCommit = await library.CommitAsync("library", ("lib.txt", "lib\n"));
        await library.PushAsync("HEAD:refs/heads/master");
        (TestGitRemote super, string commit) = await SuperprojectWithSubmoduleAsync(library.BarePath, libraryCommit);
        BackendRequest request = _harness.Request(super.Url, commit, "pkg-1") with
        {
            GitSubmodules = true,
            Tools = new ToolPaths { Git = GitWithConfig("protocol.file.allow=user") },
        };

        var error = await Should.ThrowAsync<BrdlException>(() => _harness.DownloadAsync(request));

        // Since git 2.38.1 a submodule may not come from a local path unless the user allows it:
        // the transport allow list must not undo that protection.
        error.Code.ShouldBe(MessageCodes.SubmoduleTransportRefused, error.Message);
        error.Message.ShouldContain("'file'");
    }

    [RequiresToolsFact("git")]
    public async Task What_a_killed_fetch_left_in_the_git_cache_is_removed_at_the_next_download()
    {
        TestGitRemote remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "repo");
        string commit = await remote.CommitAsync("first", ("a.txt", "a\n"));
        await remote.PushAsync("HEAD:refs/heads/master");
        await _harness.DownloadAsync(remote.Url, "master");

        // A fetch killed while receiving: the pack it was writing, and its lock.
        string partialPack = Path.Combine(_harness.CacheFolder, ".git", "objects", "pack", "tmp_pack_k1LLed");
        File.WriteAllBytes(partialPack, new byte[200_000]);
        string staleLock = Path.Combine(_harness.CacheFolder, ".git", "index.lock");
        File.WriteAllText(staleLock, string.Empty);

        await _harness.DownloadAsync(remote.Url, commit);

        File.Exists(partialPack).ShouldBeFalse("a killed fetch's partial pack would stay in the cache for good");
        File.Exists(staleLock).ShouldBeFalse();
        _harness.Log.Warnings.ShouldBeEmpty("the cache was kept, not cloned afresh");
    }

    /// <summary>A superproject whose one submodule, <c>sub</c>, has the URL <paramref name="url"/>.</summary>
    private async Task<(TestGitRemote Super, string Commit)> SuperprojectWithSubmoduleAsync(string url, string? submoduleCommit = null)
    {
        TestGitRemote super = await TestGitRemote.CreateAsync(_harness.Folder.Path, "super");
        string first = await super.CommitAsync("first", ("main.txt", "main\n"));
        await super.GitAsync("config", "-f", ".gitmodules", "submodule.sub.path", "sub");
        await super.GitAsync("config", "-f", ".gitmodules", "submodule.sub.url", url);
        await super.GitAsync("update-index", "--add", "--cacheinfo", $"160000,{submoduleCommit ?? first},sub");
        await super.GitAsync("add", ".gitmodules");
        await super.GitAsync("commit", "-q", "-m", "with a submodule");
        string commit = await super.GitAsync("rev-parse", "HEAD");
        await super.PushAsync("HEAD:refs/heads/master");
        return (super, commit);
    }

    /// <summary>A git that runs with <c>-c <paramref name="setting"/></c>, as a user's git config would have it.</summary>
    private string GitWithConfig(string setting)
    {
        string script = _harness.Folder.WriteFile("bin/git", $"#!/bin/sh\nexec git -c {setting} \"$@\"\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        return script;
    }
}
