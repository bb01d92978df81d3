using System.Security.Cryptography;
using System.Text;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Git;

/// <summary>What a user of a git package sees: the right commit for every kind of changeset, clear errors, a cache that is reused and repaired.</summary>
public sealed class GitBackendTests : IDisposable
{
    private const string SharedContent = "the same in both versions\n";

    private readonly GitDownloadHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [RequiresToolsFact("git")]
    public async Task A_branch_name_downloads_the_head_of_that_branch_even_the_default_branch_of_a_fresh_cache()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "branches");
        await remote.CommitAsync("one", ("file", "master one\n"));
        await remote.CommitAsync("two", ("file", "master two\n"));
        await remote.GitAsync("checkout", "-q", "-b", "stable");
        await remote.CommitAsync("three", ("file", "stable\n"));
        await remote.PushAsync("master", "stable");

        string master = await _harness.DownloadAsync(remote.Url, "master");
        string stable = await _harness.DownloadAsync(remote.Url, "stable");

        (await ReadFromArchiveAsync(master, "pkg-master/file")).ShouldBe("master two\n");
        (await ReadFromArchiveAsync(stable, "pkg-stable/file")).ShouldBe("stable\n");
    }

    [RequiresToolsFact("git")]
    public async Task A_branch_that_moved_on_is_downloaded_at_its_new_head_even_after_a_force_push()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "moving");
        await remote.CommitAsync("base", ("file", "base\n"));
        await remote.GitAsync("checkout", "-q", "-b", "ci");
        await remote.CommitAsync("first", ("file", "first\n"));
        await remote.PushAsync("ci");
        await _harness.DownloadAsync(remote.Url, "ci");

        await remote.GitAsync("reset", "-q", "--hard", "HEAD~1");
        await remote.CommitAsync("rewritten", ("file", "rewritten\n"));
        await remote.PushAsync("ci");
        string archive = await _harness.DownloadAsync(remote.Url, "ci");

        (await ReadFromArchiveAsync(archive, "pkg-ci/file")).ShouldBe("rewritten\n");
    }

    [RequiresToolsFact("git")]
    public async Task A_tag_downloads_the_commit_it_points_to()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "tags");
        await remote.CommitAsync("one", ("file", "v1\n"));
        await remote.GitAsync("tag", "-a", "-m", "release", "v1.0");
        await remote.CommitAsync("two", ("file", "after v1\n"));
        await remote.PushAsync("master", "v1.0");

        string archive = await _harness.DownloadAsync(remote.Url, "v1.0");

        (await ReadFromArchiveAsync(archive, "pkg-v1.0/file")).ShouldBe("v1\n");
    }

    [RequiresToolsFact("git")]
    public async Task A_tag_moved_upstream_is_downloaded_at_its_new_commit()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "retagged");
        await remote.CommitAsync("one", ("file", "first cut\n"));
        await remote.GitAsync("tag", "-a", "-m", "release", "v2.0");
        await remote.PushAsync("master", "v2.0");
        await _harness.DownloadAsync(remote.Url, "v2.0");

        await remote.CommitAsync("two", ("file", "fixed release\n"));
        await remote.GitAsync("tag", "-f", "-a", "-m", "release again", "v2.0");
        await remote.PushAsync("master", "v2.0");
        string archive = await _harness.DownloadAsync(remote.Url, "v2.0");

        (await ReadFromArchiveAsync(archive, "pkg-v2.0/file")).ShouldBe("fixed release\n");
    }

    [RequiresToolsFact("git")]
    public async Task A_partial_sha1_of_a_commit_that_only_a_tag_reaches_is_found()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "tag-only");
        await remote.CommitAsync("one", ("file", "one\n"));
        await remote.GitAsync("checkout", "-q", "--detach");
        string tagged = await remote.CommitAsync("off any branch", ("file", "tagged\n"));
        await remote.GitAsync("tag", "off-branch");
        await remote.PushAsync("master", "off-branch");

        string archive = await _harness.DownloadAsync(remote.Url, tagged[..12]);

        (await ReadFromArchiveAsync(archive, $"pkg-{tagged[..12]}/file")).ShouldBe("tagged\n");
    }

    [RequiresToolsFact("git")]
    public async Task A_partial_sha1_downloads_the_commit_it_abbreviates()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "partial");
        string first = await remote.CommitAsync("one", ("file", "one\n"));
        await remote.CommitAsync("two", ("file", "two\n"));
        await remote.PushAsync("master");

        string archive = await _harness.DownloadAsync(remote.Url, first[..12]);

        (await ReadFromArchiveAsync(archive, $"pkg-{first[..12]}/file")).ShouldBe("one\n");
    }

    [RequiresToolsFact("git")]
    public async Task A_review_ref_no_branch_or_tag_reaches_is_fetched_as_a_special_ref()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "gerrit");
        await remote.CommitAsync("merged", ("file", "merged\n"));
        await remote.PushAsync("master");
        await remote.CommitAsync("under review", ("file", "patch set 1\n"));
        await remote.PushAsync("HEAD:refs/changes/45/12345/1");
        await remote.GitAsync("reset", "-q", "--hard", "HEAD~1");

        string archive = await _harness.DownloadAsync(remote.Url, "refs/changes/45/12345/1", baseName: "pkg-refs_changes_45_12345_1");

        (await ReadFromArchiveAsync(archive, "pkg-refs_changes_45_12345_1/file")).ShouldBe("patch set 1\n");
    }

    [RequiresToolsFact("git")]
    public async Task A_version_with_a_slash_is_fetched_as_is_and_archived_under_the_sanitized_name()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "slash");
        await remote.CommitAsync("base", ("file", "master\n"));
        await remote.GitAsync("checkout", "-q", "-b", "feature/x");
        await remote.CommitAsync("feature", ("file", "feature x\n"));
        await remote.PushAsync("master", "feature/x");

        string archive = await _harness.DownloadAsync(remote.Url, "feature/x", baseName: "pkg-feature_x");

        TarListing.Names(archive).ShouldAllBe(name => name.StartsWith("pkg-feature_x/", StringComparison.Ordinal));
        (await ReadFromArchiveAsync(archive, "pkg-feature_x/file")).ShouldBe("feature x\n");
    }

    [RequiresToolsFact("git")]
    public async Task A_changeset_that_does_not_exist_is_a_clear_error_and_the_cache_stays_usable()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "missing");
        string commit = await remote.CommitAsync("one", ("file", "one\n"));
        await remote.PushAsync("master");
        await _harness.DownloadAsync(remote.Url, "master");
        string marker = MarkCache();

        var error = await Should.ThrowAsync<BrdlException>(() => _harness.DownloadAsync(remote.Url, "v9.9"));
        string next = await _harness.DownloadAsync(remote.Url, commit);

        error.Code.ShouldBe(MessageCodes.NoSuchChangeset);
        error.Message.ShouldContain("'v9.9'");
        error.Message.ShouldContain(remote.Url);
        File.Exists(marker).ShouldBeTrue("the cache was deleted for a changeset that does not exist");
        _harness.Log.Warnings.ShouldBeEmpty();
        (await ReadFromArchiveAsync(next, $"pkg-{commit}/file")).ShouldBe("one\n");
    }

    [RequiresToolsFact("git")]
    public async Task The_cache_is_reused_for_the_next_version_and_only_the_new_commits_are_fetched()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "reuse");
        string v1 = await remote.CommitAsync("one", ("file", "one\n"));
        await remote.PushAsync("master");
        await _harness.DownloadAsync(remote.Url, v1);
        string marker = MarkCache();
        string v2 = await remote.CommitAsync("two", ("file", "two\n"));
        await remote.PushAsync("master");

        string archive = await _harness.DownloadAsync(remote.Url, v2);

        File.Exists(marker).ShouldBeTrue("the cache was cloned again");
        (await ReadFromArchiveAsync(archive, $"pkg-{v2}/file")).ShouldBe("two\n");
        File.ReadAllText(Path.Combine(_harness.PackageDownloadFolder, "git.readme")).ShouldContain("Do *not* work in that directory");
    }

    [RequiresToolsFact("git")]
    public async Task Files_of_the_previous_version_and_untracked_leftovers_do_not_reach_the_next_archive()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "leftovers");
        string v1 = await remote.CommitAsync("one", ("file", "one\n"), ("gone-in-v2", "old\n"));
        await remote.GitAsync("rm", "-q", "gone-in-v2");
        string v2 = await remote.CommitAsync("two", ("file", "two\n"));
        await remote.PushAsync("master");
        await _harness.DownloadAsync(remote.Url, v1);
        File.WriteAllText(Path.Combine(_harness.CacheFolder, "file"), "edited by someone\n");
        File.WriteAllText(Path.Combine(_harness.CacheFolder, "untracked"), "stray\n");

        string archive = await _harness.DownloadAsync(remote.Url, v2);

        TarListing.Names(archive).ShouldBe([$"pkg-{v2}/file"]);
        (await ReadFromArchiveAsync(archive, $"pkg-{v2}/file")).ShouldBe("two\n");
    }

    [RequiresToolsTheory("git")]
    [InlineData("HEAD")]
    [InlineData("config")]
    [InlineData("object")]
    public async Task A_damaged_cache_is_removed_and_cloned_afresh_with_a_warning(string damage)
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "damaged");
        string v1 = await remote.CommitAsync("one", ("file", "one\n"), ("shared", SharedContent));
        await remote.PushAsync("master");
        await _harness.DownloadAsync(remote.Url, v1);
        string marker = MarkCache();
        Damage(damage);
        string v2 = await remote.CommitAsync("two", ("file", "two\n"), ("copy-of-shared", SharedContent));
        await remote.PushAsync("master");

        string archive = await _harness.DownloadAsync(remote.Url, v2);

        _harness.Log.Warnings.Select(w => w.Code).ShouldBe([MessageCodes.VcsCacheRebuilt]);
        File.Exists(marker).ShouldBeFalse("the damaged cache was kept");
        (await ReadFromArchiveAsync(archive, $"pkg-{v2}/copy-of-shared")).ShouldBe(SharedContent);
    }

    [RequiresToolsFact("git")]
    public async Task Locks_left_by_an_interrupted_git_are_cleared_without_cloning_again()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "locks");
        string v1 = await remote.CommitAsync("one", ("file", "one\n"));
        await remote.PushAsync("master");
        await _harness.DownloadAsync(remote.Url, v1);
        string marker = MarkCache();
        File.WriteAllText(Path.Combine(_harness.CacheFolder, ".git", "index.lock"), string.Empty);
        // A shallow cache has no remote-tracking refs yet; a git killed while fetching them leaves this lock.
        string refLock = Path.Combine(_harness.CacheFolder, ".git", "refs", "remotes", "origin", "master.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(refLock)!);
        File.WriteAllText(refLock, string.Empty);
        string v2 = await remote.CommitAsync("two", ("file", "two\n"));
        await remote.PushAsync("master");

        string archive = await _harness.DownloadAsync(remote.Url, v2);

        _harness.Log.Warnings.ShouldBeEmpty();
        File.Exists(marker).ShouldBeTrue("the cache was cloned again");
        (await ReadFromArchiveAsync(archive, $"pkg-{v2}/file")).ShouldBe("two\n");
    }

    [RequiresToolsFact("git")]
    public async Task Housekeeping_that_a_fetch_starts_runs_before_the_download_returns_never_in_the_background()
    {
        // A detached `git gc --auto` would outlive the package lock, and the next build's clearing
        // of an interrupted git's leftovers could delete the lock and temporary files it works on.
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "housekeeping");
        string v1 = await remote.CommitAsync("one", ("file", "one\n"));
        await remote.PushAsync("master");
        await _harness.DownloadAsync(remote.Url, v1);

        // Two packs, and two are too many: the next fetch starts gc --auto, whose pre-auto-gc
        // hook tells what git decides about running it in the background (and then skips it).
        string loose = _harness.Folder.Combine("loose");
        foreach (string content in new[] { "first pack\n", "second pack\n" })
        {
            File.WriteAllText(loose, content);
            VcsTool.Run(_harness.CacheFolder, "sh", "-c", "git hash-object -w -- \"$1\" | git pack-objects -q .git/objects/pack/pack", "sh", loose);
        }

        await TestGitRemote.RunAsync(_harness.CacheFolder, "config", "gc.autoPackLimit", "1");
        string seen = _harness.Folder.Combine("autodetach-seen");
        string hook = Path.Combine(_harness.CacheFolder, ".git", "hooks", "pre-auto-gc");
        Directory.CreateDirectory(Path.GetDirectoryName(hook)!);
        File.WriteAllText(hook, $"#!/bin/sh\n{{ git config --get gc.autoDetach || echo unset; }} >> '{seen}'\nexit 1\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string v2 = await remote.CommitAsync("two", ("file", "two\n"));
        await remote.PushAsync("master");

        await _harness.DownloadAsync(remote.Url, v2);

        File.Exists(seen).ShouldBeTrue("the fetch did not start git's housekeeping: the test tests nothing");
        File.ReadAllLines(seen).ShouldAllBe(line => line == "false");
    }

    [RequiresToolsFact("git")]
    public async Task A_failure_that_a_fresh_clone_does_not_fix_is_final_after_one_retry()
    {
        string nowhere = new Uri(_harness.Folder.Combine("no-such-repository.git")).AbsoluteUri;

        var error = await Should.ThrowAsync<BrdlException>(() => _harness.DownloadAsync(nowhere, "master"));

        error.Code.ShouldBe(MessageCodes.ToolFailed);
        error.Message.ShouldContain("fetch");
        _harness.Log.Warnings.Select(w => w.Code).ShouldBe([MessageCodes.VcsCacheRebuilt]);
    }

    [RequiresToolsTheory("git")]
    [InlineData("--upload-pack=touch /tmp/pwned", "master")]
    [InlineData("file:///srv/repo.git", "--output=/tmp/pwned")]
    public async Task A_site_or_version_starting_with_a_dash_is_refused_before_git_runs(string uri, string changeset)
    {
        var error = await Should.ThrowAsync<BrdlException>(() => _harness.DownloadAsync(uri, changeset, baseName: "pkg-x"));

        error.Code.ShouldBe(MessageCodes.ValueLooksLikeOption);
        Directory.Exists(_harness.CacheFolder).ShouldBeFalse();
        _harness.Log.Details.ShouldBeEmpty();
    }

    [RequiresToolsFact("git")]
    public async Task Download_options_are_given_to_git_fetch()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "dlopts");
        string commit = await remote.CommitAsync("one", ("file", "one\n"));
        await remote.PushAsync("master");
        string record = _harness.Folder.Combine("upload-pack-ran");
        string uploadPack = _harness.Folder.WriteFile("upload-pack.sh", $"echo ran >> '{record}'\nexec git-upload-pack \"$@\"\n");

        // git runs the upload-pack command through the shell.
        await _harness.DownloadAsync(_harness.Request(remote.Url, commit) with { DlOpts = [$"--upload-pack=sh '{uploadPack}'"] });

        File.Exists(record).ShouldBeTrue("git fetch did not get the package's download options");
    }

    [RequiresToolsFact("git")]
    public async Task A_quiet_download_prints_no_commands_and_a_normal_one_prints_each()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "quiet");
        string commit = await remote.CommitAsync("one", ("file", "one\n"));
        await remote.PushAsync("master");

        await _harness.DownloadAsync(_harness.Request(remote.Url, commit) with { Quiet = true });
        string[] quietLines = [.. _harness.Log.Details];
        await _harness.DownloadAsync(_harness.Request(remote.Url, commit));

        quietLines.ShouldBeEmpty();
        _harness.Log.Details.ShouldContain(line => line.Contains("git fetch", StringComparison.Ordinal));
        _harness.Log.Details.ShouldContain(line => line.Contains($"checkout -f -q --detach {commit}", StringComparison.Ordinal));
    }

    private static async Task<string> ReadFromArchiveAsync(string archive, string entry)
    {
        string folder = Path.Combine(Path.GetDirectoryName(archive)!, "extracted-" + Guid.NewGuid().ToString("N")[..8]);
        TarListing.Extract(archive, folder);
        return await File.ReadAllTextAsync(Path.Combine(folder, entry));
    }

    /// <summary>A file inside the cache's .git: it survives exactly as long as the cache is not re-cloned.</summary>
    private string MarkCache()
    {
        string marker = Path.Combine(_harness.CacheFolder, ".git", "brdl-test-marker");
        File.WriteAllText(marker, "this cache is the first clone");
        return marker;
    }

    private void Damage(string what)
    {
        string gitFolder = Path.Combine(_harness.CacheFolder, ".git");
        switch (what)
        {
            case "HEAD":
                File.WriteAllText(Path.Combine(gitFolder, "HEAD"), "garbage\n");
                break;
            case "config":
                File.WriteAllText(Path.Combine(gitFolder, "config"), "[core\n\tgarbage");
                break;
            default:
                // A bad disk: the stored blob the next version reuses (fetch does not send it again) is garbage.
                string blob = BlobPath(gitFolder, SharedContent);
                File.Exists(blob).ShouldBeTrue("the blob should be a loose object in the cache");
                File.Delete(blob);
                File.WriteAllBytes(blob, [0x78, 0x01, 0xde, 0xad, 0xbe, 0xef]);
                break;
        }
    }

    /// <summary>Where git stores a blob loose: <c>objects/xx/yyyy…</c> after the sha1 of "blob &lt;size&gt;\0&lt;content&gt;".</summary>
    private static string BlobPath(string gitFolder, string content)
    {
        byte[] data = Encoding.UTF8.GetBytes(content);
        byte[] stored = [.. Encoding.ASCII.GetBytes($"blob {data.Length}\0"), .. data];
#pragma warning disable CA5350 // git's object names are sha1; this is not a security use.
        string id = Convert.ToHexString(SHA1.HashData(stored)).ToLowerInvariant();
#pragma warning restore CA5350
        return Path.Combine(gitFolder, "objects", id[..2], id[2..]);
    }
}
